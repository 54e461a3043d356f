package page_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/page"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	for _, c := range []page.Cursor{
		page.At(time.Date(2026, 12, 5, 18, 30, 0, 123456789, time.UTC), "665f1c2a9b1e8a0012345678"),
		page.At(time.Date(1999, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)), "a.b.c"),
		page.At(time.UnixMilli(0), "1"),
	} {
		s := c.String()
		got, err := page.ParseCursor(s)
		if err != nil {
			t.Fatalf("ParseCursor(%q) = %v, want the cursor of %+v", s, err, c)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("ParseCursor(%q) mismatch (-want +got):\n%s", s, diff)
		}
	}
}

func TestAtKeepsMilliseconds(t *testing.T) {
	t.Parallel()
	c := page.At(time.Date(2026, 12, 5, 18, 30, 0, 123456789, time.UTC), "x")
	if want := time.Date(2026, 12, 5, 18, 30, 0, 123000000, time.UTC); !c.Time.Equal(want) {
		t.Errorf("At(...).Time = %v, want %v", c.Time, want)
	}
	if (page.Cursor{}).String() != "" {
		t.Errorf("zero Cursor.String() = %q, want \"\"", page.Cursor{}.String())
	}
}

func TestParseCursorRefusesForgeries(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"",
		"not base64!",
		"bm90IGEgY3Vyc29y",                // "not a cursor"
		"MTIzNA",                          // "1234", no id
		"MTIzNC4",                         // "1234.", empty id
		"YWJjLmlk",                        // "abc.id", no number
		"MTIzNC5hIGI",                     // "1234.a b", a space in the id
		"OTk5OTk5OTk5OTk5OTk5OTk5OTkuaWQ", // a number too big
	} {
		if c, err := page.ParseCursor(s); !errors.Is(err, page.ErrInvalidCursor) {
			t.Errorf("ParseCursor(%q) = %+v, %v; want %v", s, c, err, page.ErrInvalidCursor)
		}
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	pos := func(i int) page.Cursor { return page.At(time.UnixMilli(int64(i)), strconv.Itoa(i)) }
	tests := []struct {
		name     string
		items    []int
		limit    int
		want     []int
		wantNext page.Cursor
	}{
		{"empty", nil, 3, nil, page.Cursor{}},
		{"short", []int{1, 2}, 3, []int{1, 2}, page.Cursor{}},
		{"exactly full", []int{1, 2, 3}, 3, []int{1, 2, 3}, page.Cursor{}},
		{"one more", []int{1, 2, 3, 4}, 3, []int{1, 2, 3}, pos(3)},
		{"default limit", make([]int, 51), 0, make([]int, 50), pos(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := page.Request{Limit: tt.limit}
			got, next := page.Split(tt.items, r, pos)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split items mismatch (-want +got):\n%s", diff)
			}
			if next != tt.wantNext {
				t.Errorf("Split next = %+v, want %+v", next, tt.wantNext)
			}
		})
	}
}

func TestRequestSize(t *testing.T) {
	t.Parallel()
	for limit, want := range map[int]int{-1: 50, 0: 50, 1: 1, 200: 200, 201: 200} {
		r := page.Request{Limit: limit}
		if r.Size() != want || r.Fetch() != want+1 {
			t.Errorf("Request{Limit: %d}: Size() = %d, Fetch() = %d; want %d, %d",
				limit, r.Size(), r.Fetch(), want, want+1)
		}
	}
}
