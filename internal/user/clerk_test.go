package user

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClerkUserToUser(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	created := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	updated := created.Add(time.Hour)
	emails := []ClerkEmail{
		{ID: "idn_old", Address: "old-box@example.test"},
		{ID: "idn_main", Address: "dee.marsh@example.test"},
	}
	base := ClerkUser{
		ID: "user_dee", FirstName: "Dee", LastName: "Marsh", Emails: emails,
		PrimaryEmailID: "idn_main", ImageURL: "https://img.example.test/dee.png",
		CreatedAt: created, UpdatedAt: updated,
	}
	want := User{
		ID: "user_dee", Name: "Dee Marsh", Email: "dee.marsh@example.test",
		ImageURL: "https://img.example.test/dee.png", Role: RoleUser,
		ClerkUpdatedAt: updated, CreatedAt: created, UpdatedAt: now,
	}

	tests := []struct {
		name   string
		change func(*ClerkUser)
		want   func(*User)
	}{
		{"full user", func(*ClerkUser) {}, func(*User) {}},
		{"no first name", func(c *ClerkUser) { c.FirstName = "" }, func(u *User) { u.Name = "Marsh" }},
		{"no last name", func(c *ClerkUser) { c.LastName = "" }, func(u *User) { u.Name = "Dee" }},
		{"no names", func(c *ClerkUser) { c.FirstName, c.LastName = "", "" }, func(u *User) { u.Name = "" }},
		{"names with spaces", func(c *ClerkUser) { c.FirstName, c.LastName = " Dee ", " " },
			func(u *User) { u.Name = "Dee" }},
		{"primary listed first", func(c *ClerkUser) { c.PrimaryEmailID = "idn_old" },
			func(u *User) { u.Email = "old-box@example.test" }},
		{"no primary address", func(c *ClerkUser) { c.PrimaryEmailID = "" }, func(u *User) { u.Email = "" }},
		{"primary address not listed", func(c *ClerkUser) { c.PrimaryEmailID = "idn_gone" },
			func(u *User) { u.Email = "" }},
		{"admin in public metadata", func(c *ClerkUser) { c.PublicRole = "admin" },
			func(u *User) { u.Role = RoleAdmin }},
		{"admin in private metadata", func(c *ClerkUser) { c.PrivateRole = "admin" },
			func(u *User) { u.Role = RoleAdmin }},
		{"other role", func(c *ClerkUser) { c.PublicRole = "Admin" }, func(*User) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, want := base, want
			in.Emails = append([]ClerkEmail(nil), emails...)
			tt.change(&in)
			tt.want(&want)

			got, err := in.User(now)
			if err != nil {
				t.Fatalf("User() = %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("User() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClerkUserInvalid(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]ClerkUser{
		"no id":         {UpdatedAt: time.Now()},
		"no updated_at": {ID: "user_dee"},
	} {
		if _, err := c.User(time.Now()); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: User() = %v, want %v", name, err, ErrInvalid)
		}
	}
}
