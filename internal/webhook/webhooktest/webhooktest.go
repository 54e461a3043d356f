// Package webhooktest signs webhook deliveries the way Svix signs Clerk's,
// and holds fixtures of Clerk's webhook payloads, for tests.
//
// The fixtures in testdata are in the shape Clerk sends, with made-up
// people:
//
//   - ada_user_created, ada_user_updated (a newer version: new last name,
//     image, primary address and the admin role), ada_user_deleted;
//   - bo_user_created (an unsafe_metadata role, which must not count),
//     bo_user_deleted;
//   - cy_user_created (first_name null, last_name "", the primary address
//     listed second, the admin role in private_metadata);
//   - session_created, a type no function handles.
package webhooktest

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"
	"time"

	svix "github.com/svix/svix-webhooks/go"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Clerk returns the payload of the fixture testdata/<name>.json.
func Clerk(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.ReadFile("testdata/" + name + ".json")
	if err != nil {
		t.Fatalf("webhooktest: no Clerk fixture %q: %v", name, err)
	}
	return b
}

// Fixture user ids, as in the fixtures.
const (
	AdaID = "user_2pAdaQuill0000000000001"
	BoID  = "user_2pBoLindqvist00000000002"
	CyID  = "user_2pCyOkafor0000000000003"
)

// NewSecret returns a random signing secret in Svix's form, "whsec_" and
// 32 bytes in base64.
func NewSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails on supported platforms
	return "whsec_" + base64.StdEncoding.EncodeToString(key)
}

// NewDeliveryID returns a random delivery id in Svix's form, "msg_...".
func NewDeliveryID() string {
	return "msg_" + rand.Text()
}

// Headers returns the svix-id, svix-timestamp and svix-signature headers of
// body sent as delivery id at time at, signed with secret by the Svix
// library.
func Headers(t testing.TB, secret, id string, at time.Time, body []byte) http.Header {
	t.Helper()
	wh, err := svix.NewWebhook(secret)
	if err != nil {
		t.Fatalf("webhooktest: svix.NewWebhook: %v", err)
	}
	sig, err := wh.Sign(id, at, body)
	if err != nil {
		t.Fatalf("webhooktest: sign delivery %s: %v", id, err)
	}

	h := http.Header{}
	h.Set("svix-id", id)
	h.Set("svix-timestamp", strconv.FormatInt(at.Unix(), 10))
	h.Set("svix-signature", sig)
	h.Set("Content-Type", "application/json")
	return h
}

// NewRequest returns a POST of body to url, signed now with secret as
// delivery id.
func NewRequest(t testing.TB, url, secret, id string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("webhooktest: new request: %v", err)
	}
	req.Header = Headers(t, secret, id, time.Now(), body)
	return req
}
