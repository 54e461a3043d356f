package page_test

import (
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/page"
)

// FuzzParseCursor checks that a cursor from a client is either refused or
// read into a position that survives printing and reading again, so a
// client can never make the server page from somewhere it did not say.
func FuzzParseCursor(f *testing.F) {
	f.Add(page.At(time.Date(2030, 1, 2, 19, 30, 0, 0, time.UTC), "65a1f0c2e4b0a1b2c3d4e5f6").String())
	f.Add(page.At(time.UnixMilli(0), "x").String())
	for _, s := range []string{"", "not base64!", "MTIz", "LjEyMw", "MTIzLg", "LTEyMy5hYmM", "KzEyMy5hYmM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := page.ParseCursor(s)
		if err != nil {
			return
		}
		if c.ID == "" {
			t.Fatalf("ParseCursor(%q) = %+v with an empty id", s, c)
		}
		again, err := page.ParseCursor(c.String())
		if err != nil || !again.Time.Equal(c.Time) || again.ID != c.ID {
			t.Fatalf("ParseCursor(%q) = %+v; printed %q and read back as %+v, %v", s, c, c.String(), again, err)
		}
	})
}
