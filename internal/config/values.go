package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
)

// This file holds the readers of values with rules of their own.

func (r *reader) appEnv(name string) string {
	v, ok := r.raw(name)
	if !ok {
		return EnvProduction
	}

	switch env := strings.ToLower(v); env {
	case EnvProduction, EnvDevelopment:
		return env
	}
	// An empty Env skips the production checks: their messages would be
	// wrong for a value that is neither.
	r.fail(name, "%q is not %s or %s", v, EnvProduction, EnvDevelopment)
	return ""
}

func (r *reader) logLevel(name string) slog.Level {
	v, ok := r.raw(name)
	if !ok {
		return slog.LevelInfo
	}

	switch strings.ToLower(v) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	r.fail(name, "%q is not one of debug, info, warn, error", v)
	return slog.LevelInfo
}

// location reads an IANA time zone name. It never returns nil.
func (r *reader) location(name, def string) *time.Location {
	v, ok := r.raw(name)
	if !ok {
		v = def
	}

	// "Local" is whatever the host says, so the same show could fall on
	// different days on different machines.
	if v == "Local" {
		r.fail(name, "%q depends on the host; name a time zone such as Europe/Berlin", v)
		return time.UTC
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		r.fail(name, "%q is not a time zone such as Europe/Berlin", v)
		return time.UTC
	}
	return loc
}

func (r *reader) currency(name, def string) money.Currency {
	v, ok := r.raw(name)
	if !ok {
		v = def
	}

	c, err := money.ParseCurrency(v)
	if err != nil {
		r.fail(name, "%q is not a lower-case ISO 4217 code such as usd", v)
		return money.Currency(def)
	}
	return c
}

// bytes reads a size in bytes, written as a number or with a KiB or MiB
// suffix, between 1 byte and 1 GiB.
func (r *reader) bytes(name string, def int64) int64 {
	v, ok := r.raw(name)
	if !ok {
		return def
	}

	digits, unit := v, int64(1)
	if d, found := strings.CutSuffix(v, "KiB"); found {
		digits, unit = d, 1<<10
	} else if d, found := strings.CutSuffix(v, "MiB"); found {
		digits, unit = d, 1<<20
	}
	n, err := strconv.ParseInt(strings.TrimSpace(digits), 10, 64)
	if err != nil || n < 1 || n > (1<<30)/unit {
		r.fail(name, "%q is not a size between 1 and 1073741824 bytes such as 1048576 or 1MiB", v)
		return def
	}
	return n * unit
}

// mongoURI reads a MongoDB connection string. It may hold a password, so
// problems never quote it.
func (r *reader) mongoURI(name string) Secret {
	v, ok := r.raw(name)
	if !ok {
		return ""
	}

	if !strings.HasPrefix(v, "mongodb://") && !strings.HasPrefix(v, "mongodb+srv://") {
		r.fail(name, "must start with mongodb:// or mongodb+srv://")
		return ""
	}
	return Secret(v)
}

// publicKey reads the RSA public key that Clerk signs session tokens with
// and returns it as a PEM block. The Clerk dashboard shows the key without
// its BEGIN and END lines, and a key squeezed onto one line of an
// environment file often carries literal \n escapes; both are accepted.
func (r *reader) publicKey(name string) string {
	v, ok := r.raw(name)
	if !ok {
		return ""
	}

	if !strings.Contains(v, "\n") {
		v = strings.ReplaceAll(v, `\n`, "\n")
	}
	if !strings.HasPrefix(v, "-----BEGIN") {
		v = "-----BEGIN PUBLIC KEY-----\n" + v + "\n-----END PUBLIC KEY-----\n"
	}

	block, _ := pem.Decode([]byte(v))
	if block == nil || block.Type != "PUBLIC KEY" || !isRSAKey(block.Bytes) {
		r.fail(name, "is not an RSA public key in PEM form, "+
			"such as the one under API keys in the Clerk dashboard")
		return ""
	}
	return string(pem.EncodeToMemory(block))
}

func isRSAKey(der []byte) bool {
	key, err := x509.ParsePKIXPublicKey(der)
	_, isRSA := key.(*rsa.PublicKey)
	return err == nil && isRSA
}

// inngestDev reads INNGEST_DEV the way the Inngest SDK does: any non-empty
// value selects the Dev Server, and a URL also says where it listens. A
// value such as "0" or "false" would therefore turn dev mode on in the
// SDK's own checks, so it is refused rather than read as off.
func (r *reader) inngestDev(name string) (dev bool, devURL string) {
	v, ok := r.raw(name)
	if !ok {
		return false, ""
	}

	if on, err := strconv.ParseBool(v); err == nil {
		if !on {
			r.fail(name, "%q still selects the Dev Server in the Inngest SDK; "+
				"leave INNGEST_DEV empty to turn it off", v)
		}
		return on, ""
	}
	if isHTTPURL(v) {
		return true, strings.TrimSuffix(v, "/")
	}
	r.fail(name, "%q is neither 1 nor a Dev Server URL such as http://127.0.0.1:8288", v)
	return false, ""
}

// address reads an e-mail address, with or without a display name.
func (r *reader) address(name string) string {
	v, ok := r.raw(name)
	if !ok {
		return ""
	}

	if _, err := mail.ParseAddress(v); err != nil {
		r.fail(name, "%q is not an e-mail address such as Marquee <tickets@example.com>", v)
		return ""
	}
	return v
}

// origins reads a list of browser origins: scheme and host, with a port
// when it is not the default, and nothing after; or "*" for any origin.
func (r *reader) origins(name, def string) []string {
	list := r.list(name, def)
	for _, o := range list {
		if o != "*" && !isOrigin(o) {
			r.fail(name, "%q is not an origin such as https://tickets.example.com "+
				"(scheme and host, no path or trailing slash) or *", o)
		}
	}
	return list
}

// parties reads the origins of the frontends whose tokens are accepted.
// Unlike for CORS there is no "*": accepting any party is not checking.
func (r *reader) parties(name string) []string {
	list := r.list(name, "")
	for _, o := range list {
		if !isOrigin(o) {
			r.fail(name, "%q is not an origin such as https://tickets.example.com "+
				"(scheme and host, no path or trailing slash)", o)
		}
	}
	return list
}

// isOrigin reports whether s is what browsers send in the Origin header.
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && isHTTPURL(s) && u.User == nil &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery
}
