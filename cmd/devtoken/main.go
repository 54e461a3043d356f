// Command devtoken mints session tokens in the shape of Clerk's, for demos
// on machines with no Clerk account.
//
//	go run ./cmd/devtoken -user user_demo -admin
//
// The first run makes an RSA key pair under DATA_DIR/devtoken/ (the private
// key readable by its owner only); later runs reuse it. Like the server,
// it takes DATA_DIR from the environment, else from .env in the working
// directory, else ./data; -data overrides it. The token goes to
// standard output, alone, so that TOKEN=$(go run ./cmd/devtoken) works; the
// key's path and the next steps go to standard error.
//
// The server trusts the key only when APP_ENV=development and
// CLERK_DEV_KEYS=true.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/config"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		fmt.Fprintln(os.Stderr, "devtoken:", err)
		os.Exit(1)
	}
}

// request is what the command line asks for.
type request struct {
	dataDir string
	claims  clerk.DevClaims
	admin   bool
	server  string
}

func run(args []string, stdout, stderr io.Writer) error {
	// The server's DATA_DIR, found as the server finds it, is the default.
	if err := config.LoadDotEnv(".env"); err != nil {
		return err
	}
	req, err := parseFlags(args, config.DataDir(os.LookupEnv), stderr)
	if err != nil {
		return err
	}

	key, created, err := clerk.LoadOrCreateDevKey(req.dataDir)
	if err != nil {
		return err
	}
	token, err := key.Mint(req.claims)
	if err != nil {
		return err
	}

	if _, err := fmt.Fprintln(stdout, token); err != nil {
		return err
	}
	return printNextSteps(stderr, req, key, created, token)
}

func parseFlags(args []string, dataDir string, stderr io.Writer) (request, error) {
	var req request
	fs := flag.NewFlagSet("devtoken", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&req.dataDir, "data", dataDir,
		"the server's DATA_DIR; the key pair lives in its devtoken/ folder")
	fs.StringVar(&req.claims.UserID, "user", "user_demo", "the user id to sign in as (sub)")
	fs.StringVar(&req.claims.SessionID, "session", "", "the session id (sid); random if empty")
	fs.StringVar(&req.claims.AuthorizedParty, "azp", "http://localhost:5173",
		"the frontend origin (azp); empty to leave the claim out")
	fs.DurationVar(&req.claims.Lifetime, "ttl", clerk.DefaultDevTokenLifetime,
		"how long the token is valid")
	fs.BoolVar(&req.admin, "admin", false, "also print how to make the user an admin")
	fs.StringVar(&req.server, "server", "http://localhost:8080",
		"the server's URL, for the curl example")

	if err := fs.Parse(args); err != nil {
		return request{}, err
	}
	if fs.NArg() > 0 {
		return request{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if req.claims.UserID == "" {
		return request{}, errors.New("-user must not be empty")
	}
	if req.claims.Lifetime <= 0 {
		return request{}, errors.New("-ttl must be positive")
	}
	req.claims.IssuedAt = time.Now()
	return req, nil
}

func printNextSteps(w io.Writer, req request, key *clerk.DevKey, created bool, token string) error {
	state := "reused"
	if created {
		state = "created"
	}
	expires := req.claims.IssuedAt.Add(req.claims.Lifetime).Format(time.RFC3339)

	admins := ""
	if req.admin {
		admins = fmt.Sprintf("ADMIN_USER_IDS=%s ", req.claims.UserID)
	}

	_, err := fmt.Fprintf(w, `
Dev public key (%s): %s
Token above: user %s, expires %s.

Next steps:
  1. Start the server trusting the dev key (never in production):
       %sAPP_ENV=development CLERK_DEV_KEYS=true DATA_DIR=%s go run ./cmd/server
  2. Keep the token in your shell:
       export TOKEN=%s
  3. Call the API as that user, for example to list their bookings:
       curl -H "Authorization: Bearer $TOKEN" %s/api/bookings
     (GET /api/me answers 404 until Clerk's user.created webhook has stored
     the user, which takes a Clerk account.)
`, state, key.PublicKeyPath, req.claims.UserID, expires,
		admins, req.dataDir, token, req.server)
	if err != nil || !req.admin {
		return err
	}

	_, err = fmt.Fprintf(w, `
Admin: roles come from ADMIN_USER_IDS, not from the token, so step 1 lists
%s there. Then, for example:
       curl -H "Authorization: Bearer $TOKEN" %s/api/admin/dashboard
`, req.claims.UserID, req.server)
	return err
}
