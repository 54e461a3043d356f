// Package page splits long lists into pages with keyset cursors.
//
// A list is sorted by a time and then an id, so every item has a position
// that no other item shares. A page holds at most Limit items that come
// after a [Cursor], the position of the last item of the previous page.
// Unlike an offset, a cursor does not shift when new items arrive ahead of
// it, so walking every page lists each item once.
package page

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The page sizes a client may ask for.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ErrInvalidCursor is returned by [ParseCursor] for a cursor that this
// package did not make.
var ErrInvalidCursor = errors.New("invalid cursor")

// Cursor is the position of an item in a list sorted by a time and then an
// id. The zero Cursor is the start of the list.
//
// Times are kept to the millisecond, the precision the database stores.
type Cursor struct {
	Time time.Time
	ID   string
}

// At returns the cursor of an item with time t and id.
func At(t time.Time, id string) Cursor {
	return Cursor{Time: t.UTC().Truncate(time.Millisecond), ID: id}
}

// IsZero reports whether c is the start of the list.
func (c Cursor) IsZero() bool { return c.ID == "" && c.Time.IsZero() }

// String returns c as an opaque token that is safe in a URL. The zero
// Cursor is "".
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	raw := strconv.FormatInt(c.Time.UnixMilli(), 10) + "." + c.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor reads a token made by [Cursor.String]. It fails with
// [ErrInvalidCursor] for anything else, including "".
func ParseCursor(s string) (Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, ErrInvalidCursor
	}
	ms, id, ok := strings.Cut(string(raw), ".")
	if !ok || id == "" || !printable(id) {
		return Cursor{}, ErrInvalidCursor
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return Cursor{}, ErrInvalidCursor
	}
	return Cursor{Time: time.UnixMilli(n).UTC(), ID: id}, nil
}

func printable(s string) bool {
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// Request asks for the page of at most Limit items after a cursor. A
// Limit out of range is read as the nearest allowed size, and 0 as
// [DefaultLimit].
type Request struct {
	After Cursor
	Limit int
}

// Size returns how many items the page holds at most.
func (r Request) Size() int {
	switch {
	case r.Limit <= 0:
		return DefaultLimit
	case r.Limit > MaxLimit:
		return MaxLimit
	}
	return r.Limit
}

// Fetch returns how many items to read for the page: one more than fit on
// it, which tells whether a next page exists.
func (r Request) Fetch() int { return r.Size() + 1 }

// Split cuts items, read with [Request.Fetch], into the page and the cursor
// of the next page: the position of the page's last item, or the zero
// Cursor when this page is the last. pos gives an item's position.
func Split[T any](items []T, r Request, pos func(T) Cursor) ([]T, Cursor) {
	if len(items) <= r.Size() {
		return items, Cursor{}
	}
	items = items[:r.Size()]
	return items, pos(items[len(items)-1])
}
