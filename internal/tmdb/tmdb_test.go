package tmdb_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/tmdb"
)

// Conformance: the client is the catalogue's source.
var _ movie.Source = (*tmdb.Client)(nil)

func newClient(f *fakeTMDB, key string) *tmdb.Client {
	return tmdb.New(tmdb.Options{APIKey: key, BaseURL: f.URL + "/3/", Timeout: 5 * time.Second})
}

func TestMovie(t *testing.T) {
	t.Parallel()
	f := newFakeTMDB(t, nil)

	got, err := newClient(f, testAPIKey).Movie(context.Background(), 1001)
	if err != nil {
		t.Fatalf("Movie(1001) error = %v", err)
	}

	member := func(name, character, photo string) movie.CastMember {
		return movie.CastMember{Name: name, Character: character, ProfilePath: photo}
	}
	// The first 20 of 25 cast members by TMDB's "order", which the fixture
	// does not list in order.
	cast := []movie.CastMember{
		member("Mara Quill", "Captain Ines", "/fx00ProfileMadeUp.jpg"),
		member("Tobiah Fenn", "Harbourmaster", ""),
		member("Ilse Varga", "Lighthouse Keeper", "/fx02ProfileMadeUp.jpg"),
		member("Corin Ashdown", "The Ferryman's Daughter", "/fx03ProfileMadeUp.jpg"),
		member("Wren Merrow", "Customs Officer", "/fx04ProfileMadeUp.jpg"),
		member("Dashiell Pike", "Radio Operator", "/fx05ProfileMadeUp.jpg"),
		member("Oona Lindqvist", "Night Nurse", "/fx06ProfileMadeUp.jpg"),
		member("Pim Okafor", "Fisherman", "/fx07ProfileMadeUp.jpg"),
		member("Rosalind Harlan", "Mayor Aldous", "/fx08ProfileMadeUp.jpg"),
		member("Teodor Brask", "Young Ines", "/fx09ProfileMadeUp.jpg"),
		member("Ysolde Tamsin", "Smuggler", "/fx10ProfileMadeUp.jpg"),
		member("Bram Iversen", "Priest", "/fx11ProfileMadeUp.jpg"),
		member("Calla Rook", "Schoolteacher", "/fx12ProfileMadeUp.jpg"),
		member("Emrys Salgado", "Barman", "/fx13ProfileMadeUp.jpg"),
		member("Fenna Weir", "Coast Guard", "/fx14ProfileMadeUp.jpg"),
		member("Gideon Castell", "Journalist", "/fx15ProfileMadeUp.jpg"),
		member("Hester Doyle", "Mechanic", "/fx16ProfileMadeUp.jpg"),
		member("Ivo Achterberg", "Widow", "/fx17ProfileMadeUp.jpg"),
		member("Juno Moreau", "Postman", "/fx18ProfileMadeUp.jpg"),
		member("Kasimir Nakamura", "Child on the Pier", "/fx19ProfileMadeUp.jpg"),
	}
	want := movie.Movie{
		TMDBID:           1001,
		Title:            "Lanterns at Low Tide",
		Overview:         "When the last ferry of the season fails to reach harbour, its captain begins to doubt what the lighthouse is really signalling.",
		PosterPath:       "/fxLanternsPosterMadeUp.jpg",
		BackdropPath:     "/fxLanternsBackdropMadeUp.jpg",
		ReleaseDate:      "2026-11-20",
		OriginalLanguage: "no",
		Tagline:          "Keep the light on.",
		Genres:           []movie.Genre{{ID: 18, Name: "Drama"}, {ID: 9648, Name: "Mystery"}},
		Cast:             cast,
		VoteAverage:      7.912,
		Runtime:          117,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Movie(1001) mismatch (-want +got):\n%s", diff)
	}

	wantPaths := []string{"/3/movie/1001", "/3/movie/1001/credits"}
	if diff := cmp.Diff(wantPaths, f.paths()); diff != "" {
		t.Errorf("Movie(1001) requests mismatch (-want +got):\n%s", diff)
	}
}

func TestMovieNullFields(t *testing.T) {
	t.Parallel()
	f := newFakeTMDB(t, nil)

	got, err := newClient(f, testAPIKey).Movie(context.Background(), 1002)
	if err != nil {
		t.Fatalf("Movie(1002) error = %v", err)
	}

	// null runtime, overview, poster, backdrop and vote average, "" release
	// date, no tagline, no genres, a cast member with null character and
	// photo: all zero values.
	want := movie.Movie{
		TMDBID:           1002,
		Title:            "Untitled Sequel",
		OriginalLanguage: "fr",
		Genres:           []movie.Genre{},
		Cast:             []movie.CastMember{{Name: "Anouk Delacroix-Bell"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Movie(1002) mismatch (-want +got):\n%s", diff)
	}
}

func TestNowPlaying(t *testing.T) {
	t.Parallel()
	f := newFakeTMDB(t, nil)

	got, err := newClient(f, testAPIKey).NowPlaying(context.Background())
	if err != nil {
		t.Fatalf("NowPlaying() error = %v", err)
	}

	want := []movie.Summary{
		{
			TMDBID:      1001,
			Title:       "Lanterns at Low Tide",
			Overview:    "When the last ferry of the season fails to reach harbour, its captain begins to doubt what the lighthouse is really signalling.",
			PosterPath:  "/fxLanternsPosterMadeUp.jpg",
			ReleaseDate: "2026-11-20",
			VoteAverage: 7.912,
			VoteCount:   812,
		},
		{TMDBID: 1002, Title: "Untitled Sequel"},
		{
			TMDBID:      1003,
			Title:       "The Long Orbit Home",
			Overview:    "Three engineers on a failing station have ninety minutes and one working airlock.",
			PosterPath:  "/fxOrbitPosterMadeUp.jpg",
			ReleaseDate: "2026-12-04",
			VoteAverage: 6.4,
			VoteCount:   57,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NowPlaying() mismatch (-want +got):\n%s", diff)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		key  string
		want seenRequest
	}{
		{
			name: "v3 API key as a query parameter",
			key:  testAPIKey,
			want: seenRequest{Path: "/3/movie/now_playing", APIKey: testAPIKey},
		},
		{
			name: "v4 read access token as a bearer token",
			key:  testToken,
			want: seenRequest{Path: "/3/movie/now_playing", Authorization: "Bearer " + testToken},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeTMDB(t, nil)

			if _, err := newClient(f, tt.key).NowPlaying(context.Background()); err != nil {
				t.Fatalf("NowPlaying() error = %v", err)
			}
			if diff := cmp.Diff([]seenRequest{tt.want}, f.requests()); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The fake holds each request until both the details and the credits have
// arrived; fetched one after the other, the first would time out.
func TestMovieFetchesConcurrently(t *testing.T) {
	t.Parallel()
	var arrived atomic.Int32
	both := make(chan struct{})
	var fixtures *fakeTMDB
	fixtures = newFakeTMDB(t, nil)
	f := newFakeTMDB(t, func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == 2 {
			close(both)
		}
		select {
		case <-both:
			// Forward to the fixtures, keeping the path under /3.
			resp, err := http.Get(fixtures.URL + r.URL.RequestURI())
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			defer resp.Body.Close()
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
		case <-time.After(2 * time.Second):
			http.Error(w, "the other request never came", http.StatusGatewayTimeout)
		}
	})

	got, err := newClient(f, testAPIKey).Movie(context.Background(), 1001)
	if err != nil {
		t.Fatalf("Movie(1001) error = %v; details and credits were not in flight together", err)
	}
	if got.Title != "Lanterns at Low Tide" || len(got.Cast) != 20 {
		t.Errorf("Movie(1001) = %q with %d cast, want Lanterns at Low Tide with 20",
			got.Title, len(got.Cast))
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	respond := func(status int, header, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if k, v, ok := strings.Cut(header, ": "); ok {
				w.Header().Set(k, v)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	fixture := func(status int, name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { serveFile(w, status, name) }
	}

	tests := []struct {
		name           string
		handler        http.HandlerFunc
		wantMovie      error // from Movie
		wantNowPlaying error // from NowPlaying
		wantText       string
	}{
		{
			name:           "not found",
			handler:        fixture(http.StatusNotFound, "error_404.json"),
			wantMovie:      movie.ErrSourceNotFound,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "could not be found",
		},
		{
			name:           "bad key",
			handler:        fixture(http.StatusUnauthorized, "error_401.json"),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "Invalid API key",
		},
		{
			name: "rate limited",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "10")
				serveFile(w, http.StatusTooManyRequests, "error_429.json")
			},
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "retry after 10s",
		},
		{
			name:           "server error",
			handler:        fixture(http.StatusInternalServerError, "error_500.json"),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "Internal error",
		},
		{
			name: "proxy error page",
			handler: respond(http.StatusBadGateway, "Content-Type: text/html",
				"<html>502</html>"),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "502 Bad Gateway",
		},
		{
			name:           "bad JSON",
			handler:        respond(http.StatusOK, "", `{"id": 1001, "title": `),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "decode",
		},
		{
			name:           "wrong JSON types",
			handler:        respond(http.StatusOK, "", `{"id": "1001", "results": {}}`),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "decode",
		},
		{
			name: "body over 5 MiB",
			handler: respond(http.StatusOK, "",
				`{"overview": "`+strings.Repeat("a", 5<<20)+`"}`),
			wantMovie:      movie.ErrSourceUnavailable,
			wantNowPlaying: movie.ErrSourceUnavailable,
			wantText:       "larger than",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClient(newFakeTMDB(t, tt.handler), testAPIKey)

			_, err := c.Movie(context.Background(), 1001)
			checkError(t, "Movie(1001)", err, tt.wantMovie, tt.wantText)
			_, err = c.NowPlaying(context.Background())
			checkError(t, "NowPlaying()", err, tt.wantNowPlaying, tt.wantText)
		})
	}
}

// checkError checks that err wraps want, says wantText for the logs and
// never quotes the API key.
func checkError(tb testing.TB, call string, err, want error, wantText string) {
	tb.Helper()
	if !errors.Is(err, want) {
		tb.Errorf("%s error = %v, want %v", call, err, want)
		return
	}
	if !strings.Contains(err.Error(), wantText) {
		tb.Errorf("%s error = %q, want it to mention %q", call, err, wantText)
	}
	if strings.Contains(err.Error(), testAPIKey) {
		tb.Errorf("%s error = %q quotes the API key", call, err)
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	t.Parallel()
	f := newFakeTMDB(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "10")
		serveFile(w, http.StatusTooManyRequests, "error_429.json")
	})

	_, err := newClient(f, testAPIKey).Movie(context.Background(), 1001)
	var respErr *tmdb.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("Movie(1001) error = %v, want a *tmdb.ResponseError", err)
	}
	want := tmdb.ResponseError{
		StatusCode: http.StatusTooManyRequests,
		Code:       25,
		Message:    "Your request count (41) is over the allowed limit of 40.",
		RetryAfter: 10 * time.Second,
	}
	if diff := cmp.Diff(want, *respErr); diff != "" {
		t.Errorf("Movie(1001) response error mismatch (-want +got):\n%s", diff)
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	stallBody := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"id": 1001, `))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}

	background := func() (context.Context, context.CancelFunc) {
		return context.Background(), func() {}
	}

	tests := []struct {
		name    string
		handler http.HandlerFunc
		timeout time.Duration // Options.Timeout
		ctx     func() (context.Context, context.CancelFunc)
		want    []error
	}{
		{
			name:    "no answer within the client's timeout",
			handler: hang,
			timeout: 100 * time.Millisecond,
			ctx:     background,
			want:    []error{movie.ErrSourceTimeout, context.DeadlineExceeded},
		},
		{
			name:    "body stalls",
			handler: stallBody,
			timeout: 100 * time.Millisecond,
			ctx:     background,
			want:    []error{movie.ErrSourceTimeout},
		},
		{
			name:    "caller's deadline",
			handler: hang,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 100*time.Millisecond)
			},
			want: []error{movie.ErrSourceTimeout},
		},
		{
			name:    "caller gone",
			handler: hang,
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				return ctx, cancel
			},
			want: []error{movie.ErrSourceUnavailable, context.Canceled},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeTMDB(t, tt.handler)
			c := tmdb.New(tmdb.Options{
				APIKey:  testAPIKey,
				BaseURL: f.URL + "/3",
				Timeout: tt.timeout,
			})
			ctx, cancel := tt.ctx()
			defer cancel()

			start := time.Now()
			_, err := c.Movie(ctx, 1001)
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("Movie(1001) error = %v, want %v", err, want)
				}
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Movie(1001) took %v, want about 100ms", d)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	f := newFakeTMDB(t, nil)
	f.Close()

	_, err := newClient(f, testAPIKey).Movie(context.Background(), 1001)
	checkError(t, "Movie(1001) with TMDB down", err, movie.ErrSourceUnavailable, "/movie/1001")
}

func TestNoRequestMade(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		key  string
		id   int64
		want error
	}{
		{"no API key", "", 1001, movie.ErrSourceDisabled},
		{"blank API key", "  ", 1001, movie.ErrSourceDisabled},
		{"id 0", testAPIKey, 0, movie.ErrSourceNotFound},
		{"negative id", testAPIKey, -7, movie.ErrSourceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeTMDB(t, nil)
			c := newClient(f, tt.key)

			_, err := c.Movie(context.Background(), tt.id)
			if !errors.Is(err, tt.want) {
				t.Errorf("Movie(%d) error = %v, want %v", tt.id, err, tt.want)
			}
			if tt.want == movie.ErrSourceDisabled {
				_, err = c.NowPlaying(context.Background())
				if !errors.Is(err, tt.want) {
					t.Errorf("NowPlaying() error = %v, want %v", err, tt.want)
				}
			}
			if paths := f.paths(); len(paths) > 0 {
				t.Errorf("requests made: %q, want none", paths)
			}
		})
	}
}
