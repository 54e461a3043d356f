package clerk_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// A development set-up with no Clerk account: a dev key pair under the data
// directory signs a token, and a Verifier that trusts the dev key accepts it.
func ExampleVerifier_Verify() {
	dataDir, err := os.MkdirTemp("", "marquee-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dataDir)

	key, _, err := clerk.LoadOrCreateDevKey(dataDir)
	if err != nil {
		log.Fatal(err)
	}
	token, err := key.Mint(clerk.DevClaims{UserID: "user_demo", SessionID: "sess_demo"})
	if err != nil {
		log.Fatal(err)
	}

	devPEM, err := clerk.DevPublicKeyPEM(dataDir)
	if err != nil {
		log.Fatal(err)
	}
	v, err := clerk.NewVerifier(clerk.Options{DevKeyPEM: devPEM})
	if err != nil {
		log.Fatal(err)
	}

	session, err := v.Verify(context.Background(), token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(session.UserID, session.SessionID)
	// Output: user_demo sess_demo
}
