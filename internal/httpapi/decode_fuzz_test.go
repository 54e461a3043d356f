package httpapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/show"
)

// fuzzBodyLimit is the body cap of the fuzzed requests: small, so that the
// fuzzer reaches the 413 path too.
const fuzzBodyLimit = 4 << 10

// decodeFuzzed decodes body as a request to the API would be, and fails
// the test when the failure is not a client error the table knows.
func decodeFuzzed(t *testing.T, body []byte, v any) bool {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	err := decode(httptest.NewRecorder(), r, fuzzBodyLimit, v)
	if err == nil {
		return true
	}
	checkClientError(t, err)
	return false
}

// checkClientError fails unless err is an *Error with a 4xx status.
func checkClientError(t *testing.T, err error) {
	t.Helper()
	var herr *Error
	if !errors.As(err, &herr) {
		t.Fatalf("error %v (%T) is not an *Error: it would be a 500", err, err)
	}
	if herr.Status < 400 || herr.Status > 499 {
		t.Fatalf("error %v has status %d, want a client error", err, herr.Status)
	}
}

// FuzzDecodeBooking decodes bodies of POST /api/bookings.
func FuzzDecodeBooking(f *testing.F) {
	for _, s := range []string{
		`{"showId":"65a1f0c2e4b0a1b2c3d4e5f6","seats":["A1","A2"]}`,
		`{"showId":"x","seats":[]}`,
		`{"showId":"x","seats":["A1"],"amount":1}`,
		`{"showId":1}`,
		`{"showId":"x"}{"showId":"y"}`,
		`{"SHOWID":"x","Seats":["A1"]}`, `{"showId":"a","showId":"b"}`, `{"show\u0049d":"x"}`,
		`[]`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in newBookingJSON
		if !decodeFuzzed(t, body, &in) {
			return
		}
		for _, id := range in.Seats {
			_, _ = show.ParseSeat(id)
		}
	})
}

// FuzzDecodeSchedule decodes bodies of POST /api/shows and converts them
// to the service's input, start times included.
func FuzzDecodeSchedule(f *testing.F) {
	for _, s := range []string{
		`{"movieId":"m1","price":1250,"startTimes":["2030-01-02T19:30:00Z"]}`,
		`{"movieId":"m1","price":1250,"currency":"eur","startTimes":["2030-01-02T19:30:00+01:00",` +
			`"2030-01-02T22:00:00.999999999-08:00"],"layout":{"rows":["A","B"],"seatsPerRow":12}}`,
		`{"movieId":"m1","price":0,"startTimes":["2030-01-02 19:30"]}`,
		`{"movieId":"m1","price":-5,"currency":"USD","startTimes":["9999-12-31T23:59:60Z"]}`,
		`{"movieId":"m1","price":1,"startTimes":["2030-01-02T19:30:00Z","2030-01-02T19:30:00Z"]}`,
		`{"movieId":"m1","price":1,"startTimes":[],"layout":{"rows":["a","A"],"seatsPerRow":0}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in scheduleJSON
		if !decodeFuzzed(t, body, &in) {
			return
		}
		got, err := in.toInput("usd")
		if err != nil {
			checkClientError(t, err)
			return
		}
		if got.MovieID == "" || got.Price.Amount <= 0 || got.Layout.Validate() != nil {
			t.Fatalf("toInput(%s) = %+v: accepted without a movie, a price or a valid layout", body, got)
		}
		if len(got.StartTimes) == 0 || len(got.StartTimes) > maxStartTimes {
			t.Fatalf("toInput(%s) accepted %d start times", body, len(got.StartTimes))
		}
		for _, st := range got.StartTimes {
			if st.Location() != time.UTC || st.Nanosecond() != 0 {
				t.Fatalf("toInput(%s) kept start time %v, want UTC whole seconds", body, st)
			}
		}
	})
}

// FuzzDecodeMovie decodes bodies of POST /api/movies, either form.
func FuzzDecodeMovie(f *testing.F) {
	for _, s := range []string{
		`{"tmdbId":550}`,
		`{"tmdbId":550,"title":"mixed"}`,
		`{"title":"Paper Moons","runtime":95,"releaseDate":"2026-10-09","genres":[{"id":18,"name":"Drama"}],` +
			`"cast":[{"name":"Ida Lane","character":"Moon"}],"voteAverage":7.5}`,
		`{"title":"","releaseDate":"2026-13-40","voteAverage":11}`,
		`{"id":"chosen-by-client","title":"x"}`,
		`{"tmdbId":1e400}`,
		`{"title":"x","genres":[{"id":1,"Name":"x"}],"cast":[{"name":"a","name":"b"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in newMovieJSON
		if !decodeFuzzed(t, body, &in) || in.TMDBID != nil {
			return
		}
		m := in.toMovie()
		if m.ID != "" || m.TMDBID != 0 {
			t.Fatalf("toMovie(%s) = %+v: the client chose an id", body, m)
		}
		if len(m.Genres) != len(in.Genres) || len(m.Cast) != len(in.Cast) {
			t.Fatalf("toMovie(%s) lost genres or cast", body)
		}
	})
}

// FuzzShowFilter reads the query of GET /api/shows: times and a limit.
func FuzzShowFilter(f *testing.F) {
	for _, s := range []string{
		"movieId=m1&from=2030-01-01T00:00:00Z&to=2030-01-31T23:59:59%2B01:00&limit=20",
		"from=yesterday", "limit=0", "limit=201", "limit=-1", "limit=1e3", "to=2030-02-30T00:00:00Z",
		"from=2030-01-01T00:00:00Z&from=garbage", "%zz", "",
	} {
		f.Add(s)
	}
	s := &Server{now: func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }}
	f.Fuzz(func(t *testing.T, query string) {
		r := httptest.NewRequest(http.MethodGet, "/api/shows", nil)
		r.URL.RawQuery = query
		got, err := s.showFilter(r)
		if err != nil {
			checkClientError(t, err)
			return
		}
		if got.Limit < 1 || got.Limit > 200 {
			t.Fatalf("showFilter(%q) accepted limit %d", query, got.Limit)
		}
		if q, _ := url.ParseQuery(query); q.Get("from") == "" && !got.From.Equal(s.now()) {
			t.Fatalf("showFilter(%q) without from starts at %v, want now", query, got.From)
		}
	})
}
