package jobs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzClerkUserData decodes the data of clerk/user.created and .updated
// events the way the SDK hands it to the sync function, and converts it
// into a user: nothing Clerk sends may panic, and a user that converts has
// an id and a last-update time in UTC.
func FuzzClerkUserData(f *testing.F) {
	fixtures, err := filepath.Glob("../webhook/webhooktest/testdata/*_user_*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range fixtures {
		body, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var msg struct{ Data json.RawMessage }
		if err := json.Unmarshal(body, &msg); err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		f.Add([]byte(msg.Data))
	}
	for _, s := range []string{
		`{"id":"user_1","updated_at":1}`, `{"id":"","updated_at":1}`, `{"id":"user_1"}`,
		`{"id":"user_1","updated_at":-9223372036854775808,"public_metadata":{"role":["admin"]}}`,
		`{"id":"user_1","updated_at":9223372036854775807,"email_addresses":[{"id":"","email_address":"x"}]}`,
	} {
		f.Add([]byte(s))
	}
	now := time.Date(2030, 1, 2, 19, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d ClerkUserData
		if err := json.Unmarshal(data, &d); err != nil {
			return
		}
		u, err := d.toClerkUser().User(now)
		if err != nil {
			return
		}
		if u.ID == "" || u.ClerkUpdatedAt.IsZero() || u.ClerkUpdatedAt.Location() != time.UTC {
			t.Fatalf("user from %q = %+v: no id, or an update time not in UTC", data, u)
		}
	})
}
