package webhook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	stripego "github.com/stripe/stripe-go/v82"
)

// FuzzDecodeClerk decodes Clerk webhook bodies whose signature has been
// verified: what is handed to Inngest must be a typed message with data
// that encodes back to JSON, whatever Clerk (or whoever holds the secret)
// sent.
func FuzzDecodeClerk(f *testing.F) {
	fixtures, err := filepath.Glob("webhooktest/testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		body, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	for _, s := range []string{
		`{"type":"user.created","data":{}}`, `{"type":"","data":{}}`, `{"type":"user.created"}`,
		`{"type":"user.created","data":{"n":1e999},"timestamp":-1}`, `{"data":[]}`, `null`, `[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := decodeClerk(body)
		if err != nil {
			if p := toProblem(err); p.Status != 400 {
				t.Fatalf("decodeClerk(%q) failed with %d %s, want 400", body, p.Status, p.Code)
			}
			return
		}
		if msg.Type == "" || msg.Data == nil {
			t.Fatalf("decodeClerk(%q) = %+v: accepted without a type or data", body, msg)
		}
		if _, err := json.Marshal(msg.Data); err != nil {
			t.Fatalf("decodeClerk(%q): data does not encode for Inngest: %v", body, err)
		}
		_ = msg.time()
	})
}

// FuzzCheckoutData reads the data object of verified Stripe events.
func FuzzCheckoutData(f *testing.F) {
	for _, s := range []string{
		`{"id":"cs_test_a1","object":"checkout.session","client_reference_id":"65a1f0c2e4b0a1b2c3d4e5f6",` +
			`"metadata":{"booking_id":"65a1f0c2e4b0a1b2c3d4e5f6"},"status":"complete",` +
			`"payment_status":"paid","amount_total":2500,"currency":"usd","payment_intent":"pi_1"}`,
		`{"id":"cs_test_a2","payment_intent":{"id":"pi_2"},"metadata":null}`,
		`{"id":""}`, `{"amount_total":"many"}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := checkoutData(stripego.Event{Data: &stripego.EventData{Raw: raw}})
		if err != nil {
			if p := toProblem(err); p.Status != 400 {
				t.Fatalf("checkoutData(%q) failed with %d %s, want 400", raw, p.Status, p.Code)
			}
			return
		}
		if d.ID == "" {
			t.Fatalf("checkoutData(%q) = %+v: accepted without a session id", raw, d)
		}
		if _, err := json.Marshal(d.Map()); err != nil {
			t.Fatalf("checkoutData(%q): data does not encode for Inngest: %v", raw, err)
		}
	})
}
