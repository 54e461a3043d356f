package main

import (
	"context"
	"testing"

	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/config"
)

// TestAuthenticatorChecksAuthorizedParties: with CLERK_AUTHORIZED_PARTIES
// set, a token from a listed frontend is accepted and one whose azp names
// another is refused.
func TestAuthenticatorChecksAuthorizedParties(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key, _, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatalf("LoadOrCreateDevKey: %v", err)
	}
	auth, err := newAuthenticator(config.Config{Env: config.EnvDevelopment, DataDir: dir,
		Clerk: config.Clerk{DevKeys: true,
			AuthorizedParties: []string{"https://tickets.example.com"}}})
	if err != nil {
		t.Fatalf("newAuthenticator: %v", err)
	}

	for azp, wantOK := range map[string]bool{
		"https://tickets.example.com": true,
		"https://other.example.com":   false,
	} {
		token, err := key.Mint(clerk.DevClaims{UserID: "user_ada", AuthorizedParty: azp})
		if err != nil {
			t.Fatalf("Mint(azp %s): %v", azp, err)
		}
		if _, err := auth.Verify(context.Background(), token); (err == nil) != wantOK {
			t.Errorf("Verify(token of azp %s) = %v, want accepted: %t", azp, err, wantOK)
		}
	}
}
