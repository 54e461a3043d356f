package quickshow_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/quickshow"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/tmdb"
	"github.com/marquee-hq/marquee/internal/user"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

// newAPI starts the whole API, this surface included, with a TMDB that
// knows movie 550.
func newAPI(t *testing.T, o apitest.Options) *apitest.API {
	t.Helper()
	o.Source = tmdb.New(tmdb.Options{APIKey: "test-api-key", BaseURL: apitest.FakeTMDB(t),
		Timeout: time.Second})
	return apitest.New(t, o)
}

// answer is a decoded answer of the surface.
type answer map[string]any

// call sends a request to the surface as the client does, and checks what
// every answer of it must be, whatever happened: 200 with a JSON object.
func call(t *testing.T, a *apitest.API, method, path, token string, body any) answer {
	t.Helper()
	r := a.Do(method, quickshow.Prefix+path, token, body)
	if r.Status != http.StatusOK {
		t.Fatalf("%s %s: status %d %s, want 200 whatever happened", method, path, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	var out answer
	r.Decode(t, &out)
	return out
}

// succeeded fails t unless ans says success true and has exactly the
// shape want, besides success.
func succeeded(t *testing.T, where string, ans answer, want shape) {
	t.Helper()
	if ans["success"] != true {
		t.Fatalf("%s: %v, want success true", where, ans)
	}
	want = maps.Clone(want)
	want["success"] = boolean
	conform(t, where, map[string]any(ans), want)
}

// failed fails t unless ans says success false with a message for a
// person, and returns the message.
func failed(t *testing.T, where string, ans answer) string {
	t.Helper()
	conform(t, where, map[string]any(ans), shape{"success": boolean, "message": str})
	msg, _ := ans["message"].(string)
	if ans["success"] != false || msg == "" {
		t.Fatalf("%s: %v, want success false with a message", where, ans)
	}
	return msg
}

// A kind is a JSON type that the client relies on.
type kind string

const (
	str     kind = "string"
	num     kind = "number"
	boolean kind = "boolean"
	// isoTime is a string in the form of JavaScript's Date.toJSON.
	isoTime kind = "ISO 8601 UTC time with milliseconds"
	// seatSet is an object whose keys are seat ids; never null.
	seatSet kind = "object keyed by seat id"
)

// shape is an object with exactly these fields, each of a kind, a shape,
// a list or a dict.
type shape map[string]any

// list is an array whose items have the shape or kind of.
type list struct{ of any }

// dict is an object whose keys match key and whose values are of.
type dict struct {
	key *regexp.Regexp
	of  any
}

var (
	isoRE  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
	seatRE = regexp.MustCompile(`^[A-Z][1-9][0-9]?$`)
	dayRE  = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
)

// The documents of react-client-contract.md, field by field.
var (
	movieShape = shape{
		"_id": str, "title": str, "overview": str, "poster_path": str, "backdrop_path": str,
		"release_date": str, "original_language": str, "tagline": str,
		"genres":       list{shape{"id": num, "name": str}},
		"casts":        list{shape{"name": str, "character": str, "profile_path": str}},
		"vote_average": num, "runtime": num, "createdAt": isoTime, "updatedAt": isoTime,
	}
	showShape = shape{
		"_id": str, "movie": movieShape, "showDateTime": isoTime, "showPrice": num,
		"occupiedSeats": seatSet,
	}
	userShape = shape{"_id": str, "name": str, "email": str, "image": str}
)

// bookingShape is a Booking with show and show.movie populated, and user
// of the kind or shape given.
func bookingShape(user any) shape {
	return shape{
		"_id": str, "user": user, "show": showShape, "amount": num, "bookedSeats": list{str},
		"isPaid": boolean, "paymentLink": str, "createdAt": isoTime, "updatedAt": isoTime,
	}
}

// conform fails t where v, found at path, is not what want describes.
func conform(t *testing.T, path string, v any, want any) {
	t.Helper()
	switch w := want.(type) {
	case kind:
		if !isKind(v, w) {
			t.Errorf("%s = %#v, want a %s", path, v, w)
		}
	case shape:
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s = %#v, want an object", path, v)
			return
		}
		want, got := slices.Sorted(maps.Keys(w)), slices.Sorted(maps.Keys(obj))
		if !slices.Equal(want, got) {
			t.Errorf("%s has fields %v, want exactly %v", path, got, want)
		}
		for name, field := range w {
			if fv, ok := obj[name]; ok {
				conform(t, path+"."+name, fv, field)
			}
		}
	case list:
		items, ok := v.([]any)
		if !ok {
			t.Errorf("%s = %#v, want an array", path, v)
			return
		}
		for i, item := range items {
			conform(t, fmt.Sprintf("%s[%d]", path, i), item, w.of)
		}
	case dict:
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s = %#v, want an object", path, v)
			return
		}
		for k, item := range obj {
			if !w.key.MatchString(k) {
				t.Errorf("%s has key %q, want one like %s", path, k, w.key)
			}
			conform(t, path+"."+k, item, w.of)
		}
	default:
		t.Fatalf("conform: unknown description %T", want)
	}
}

func isKind(v any, k kind) bool {
	switch k {
	case str:
		_, ok := v.(string)
		return ok
	case num:
		_, ok := v.(float64)
		return ok
	case boolean:
		_, ok := v.(bool)
		return ok
	case isoTime:
		s, ok := v.(string)
		return ok && isoRE.MatchString(s)
	case seatSet:
		obj, ok := v.(map[string]any)
		for seat := range obj {
			ok = ok && seatRE.MatchString(seat)
		}
		return ok
	}
	return false
}

// items returns the objects of the list at key of ans.
func items(t *testing.T, ans answer, key string) []map[string]any {
	t.Helper()
	raw, ok := ans[key].([]any)
	if !ok {
		t.Fatalf("%s = %#v, want an array", key, ans[key])
	}
	out := make([]map[string]any, len(raw))
	for i, item := range raw {
		if out[i], ok = item.(map[string]any); !ok {
			t.Fatalf("%s[%d] = %#v, want an object", key, i, item)
		}
	}
	return out
}

// jsTime is how the surface must write t.
func jsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// seeds stores what the tests need through the services.
type seeds struct {
	t *testing.T
	a *apitest.API
}

// importMovie imports TMDB movie 550, which has every field.
func (s seeds) importMovie() movie.Movie {
	s.t.Helper()
	m, _, err := s.a.Movies.Import(context.Background(), 550)
	if err != nil {
		s.t.Fatalf("import movie 550: %v", err)
	}
	return m
}

// handMovie enters a movie by hand, with no TMDB fields.
func (s seeds) handMovie(title string) movie.Movie {
	s.t.Helper()
	m, err := s.a.Movies.Create(context.Background(), movie.Movie{Title: title})
	if err != nil {
		s.t.Fatalf("create movie %q: %v", title, err)
	}
	return m
}

// shows schedules a show of the movie at each start, at 12.50 usd.
func (s seeds) shows(movieID string, starts ...time.Time) []show.Show {
	s.t.Helper()
	shows, err := s.a.Shows.Schedule(context.Background(), show.ScheduleInput{
		MovieID:    movieID,
		Price:      money.Money{Amount: 1250, Currency: "usd"},
		StartTimes: starts,
		Layout:     show.DefaultLayout(),
	})
	if err != nil {
		s.t.Fatalf("schedule shows of movie %s: %v", movieID, err)
	}
	return shows
}

// in returns the server's time d from now, to the second.
func (s seeds) in(d time.Duration) time.Time {
	return s.a.Now().Add(d).Truncate(time.Second)
}

// user stores a user as Clerk's webhook would.
func (s seeds) user(id, first, last string) user.User {
	s.t.Helper()
	ctx := context.Background()
	c := user.ClerkUser{
		ID:        id,
		FirstName: first,
		LastName:  last,
		Emails: []user.ClerkEmail{
			{ID: "idn_1", Address: strings.ToLower(first) + "@example.test"},
		},
		PrimaryEmailID: "idn_1",
		ImageURL:       "https://img.example.test/" + id + ".png",
		CreatedAt:      s.a.Now().Add(-time.Hour),
		UpdatedAt:      s.a.Now(),
	}
	if _, err := s.a.Users.Upsert(ctx, c); err != nil {
		s.t.Fatalf("Upsert(%s): %v", id, err)
	}
	u, err := s.a.Users.User(ctx, id)
	if err != nil {
		s.t.Fatalf("User(%s): %v", id, err)
	}
	return u
}
