package config

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// reader reads variables through a lookup function and collects every
// problem instead of stopping at the first, so that [Load] can report them
// all at once. Each method returns the default, or a harmless placeholder,
// when the value is unusable; the collected problems make sure such a value
// is never used.
type reader struct {
	lookup   func(string) (string, bool)
	problems []Problem
}

// fail records a problem with the variable name.
func (r *reader) fail(name, format string, args ...any) {
	r.problems = append(r.problems, Problem{Var: name, Reason: fmt.Sprintf(format, args...)})
}

// raw returns the value of name without surrounding spaces and whether it
// is non-empty. An empty value counts as unset, so a line such as "PORT="
// in a .env file keeps the default.
func (r *reader) raw(name string) (string, bool) {
	v, _ := r.lookup(name)
	v = strings.TrimSpace(v)
	return v, v != ""
}

func (r *reader) str(name, def string) string {
	if v, ok := r.raw(name); ok {
		return v
	}
	return def
}

func (r *reader) secret(name string) Secret {
	v, _ := r.raw(name)
	return Secret(v)
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.raw(name)
	if !ok {
		return def
	}

	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "%q is not true or false", v)
		return def
	}
	return b
}

// integer reads a whole number between lo and hi inclusive; a hi of
// [math.MaxInt32] means no upper bound worth mentioning.
func (r *reader) integer(name string, def, lo, hi int) int {
	v, ok := r.raw(name)
	if !ok {
		return def
	}

	n, err := strconv.Atoi(v)
	if err != nil {
		r.fail(name, "%q is not a whole number", v)
		return def
	}
	switch {
	case hi == math.MaxInt32 && n < lo:
		r.fail(name, "%d is less than %d", n, lo)
		return def
	case n < lo || n > hi:
		r.fail(name, "%d is not between %d and %d", n, lo, hi)
		return def
	}
	return n
}

// duration reads a Go duration of zero or more.
func (r *reader) duration(name string, def time.Duration) time.Duration {
	v, ok := r.raw(name)
	if !ok {
		return def
	}

	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(name, "%q is not a duration such as %v", v, durationExample(def))
		return def
	}
	if d < 0 {
		r.fail(name, "%q is negative", v)
		return def
	}
	return d
}

// positiveDuration reads a Go duration longer than zero.
func (r *reader) positiveDuration(name string, def time.Duration) time.Duration {
	d := r.duration(name, def)
	if d == 0 {
		r.fail(name, "must be longer than 0")
		return def
	}
	return d
}

// durationExample formats d the way people write it: "10m", not "10m0s".
func durationExample(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// list reads a comma-separated list, trimming spaces and dropping empty
// items, so "a, b,,c" is [a b c].
func (r *reader) list(name, def string) []string {
	v, ok := r.raw(name)
	if !ok {
		v = def
	}

	var items []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// url reads an absolute http or https URL and drops a trailing slash, so
// paths can be appended with "/...". An empty default makes it optional.
func (r *reader) url(name, def string) string {
	v, ok := r.raw(name)
	if !ok {
		return def
	}

	if !isHTTPURL(v) {
		r.fail(name, "%q is not an absolute http or https URL such as https://example.com", v)
		return def
	}
	return strings.TrimSuffix(v, "/")
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
