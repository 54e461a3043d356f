package jobs

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// TestClerkUserDataFromFixtures decodes the data of Clerk's payloads as
// Inngest hands it to the function, and converts it.
func TestClerkUserDataFromFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    user.ClerkUser
	}{
		{"ada_user_updated", user.ClerkUser{
			ID:        webhooktest.AdaID,
			FirstName: "Ada",
			LastName:  "Quill-Marsh",
			Emails: []user.ClerkEmail{
				{ID: "idn_2pAdaQuillPrimary0001", Address: "ada.quill@example.test"},
				{ID: "idn_2pAdaQuillStudio00002", Address: "ada@quill-lettering.example"},
			},
			PrimaryEmailID: "idn_2pAdaQuillStudio00002",
			ImageURL:       "https://img.example.test/avatars/ada-quill-2.png",
			PublicRole:     "admin",
			CreatedAt:      time.UnixMilli(1764763200000).UTC(),
			UpdatedAt:      time.UnixMilli(1764849600250).UTC(),
		}},
		{"bo_user_created", user.ClerkUser{
			ID:        webhooktest.BoID,
			FirstName: "Bo",
			LastName:  "Lindqvist",
			Emails: []user.ClerkEmail{
				{ID: "idn_2pBoLindqvistMail0001", Address: "bo.lindqvist@example.test"},
			},
			PrimaryEmailID: "idn_2pBoLindqvistMail0001",
			ImageURL:       "https://img.example.test/avatars/bo-lindqvist.jpg",
			CreatedAt:      time.UnixMilli(1764770400000).UTC(),
			UpdatedAt:      time.UnixMilli(1764770400100).UTC(),
		}},
		{"cy_user_created", user.ClerkUser{
			ID: webhooktest.CyID,
			Emails: []user.ClerkEmail{
				{ID: "idn_2pCyOldMailbox0000001", Address: "old-box@example.test"},
				{ID: "idn_2pCyOkaforMain0000002", Address: "cy.okafor@example.test"},
			},
			PrimaryEmailID: "idn_2pCyOkaforMain0000002",
			ImageURL:       "https://img.example.test/avatars/default.png",
			PrivateRole:    "admin",
			CreatedAt:      time.UnixMilli(1764777600000).UTC(),
			UpdatedAt:      time.UnixMilli(1764777600900).UTC(),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			var msg struct {
				Data ClerkUserData `json:"data"`
			}
			if err := json.Unmarshal(webhooktest.Clerk(t, tt.fixture), &msg); err != nil {
				t.Fatalf("decode %s: %v", tt.fixture, err)
			}
			if diff := cmp.Diff(tt.want, msg.Data.toClerkUser()); diff != "" {
				t.Errorf("toClerkUser() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClerkEventName(t *testing.T) {
	t.Parallel()
	for typ, want := range map[string]string{
		"user.created":    EventClerkUserCreated,
		"user.updated":    EventClerkUserUpdated,
		"user.deleted":    EventClerkUserDeleted,
		"session.created": "",
		"":                "",
	} {
		got, ok := ClerkEventName(typ)
		if got != want || ok != (want != "") {
			t.Errorf("ClerkEventName(%q) = %q, %v; want %q, %v", typ, got, ok, want, want != "")
		}
	}
}

func TestNewClientNeedsKeysOutsideDev(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts ClientOptions
		ok   bool
	}{
		{"dev", ClientOptions{AppID: "marquee", Dev: true}, true},
		{"cloud with keys", ClientOptions{AppID: "marquee", EventKey: "ek", SigningKey: "sk"}, true},
		{"cloud without event key", ClientOptions{AppID: "marquee", SigningKey: "sk"}, false},
		{"cloud without signing key", ClientOptions{AppID: "marquee", EventKey: "ek"}, false},
	}
	for _, tt := range tests {
		_, err := NewClient(tt.opts)
		if (err == nil) != tt.ok {
			t.Errorf("%s: NewClient() = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
