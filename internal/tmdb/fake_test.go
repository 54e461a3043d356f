package tmdb_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// Credentials the fake accepts: a v3 API key and a v4 read access token.
const (
	testAPIKey = "0123456789abcdef0123456789abcdef"
	testToken  = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiIwMTIzIiwic2NvcGVzIjpbImFwaV9yZWFkIl19.c2lnbmF0dXJl"
)

// seenRequest is what the fake remembers of a request.
type seenRequest struct {
	Path          string
	APIKey        string // the api_key query parameter
	Authorization string
}

// fakeTMDB serves the JSON fixtures in testdata under /3, the way TMDB's v3
// API does: the movie, its credits, the now-playing list, and TMDB's error
// bodies for a bad key or an unknown movie.
type fakeTMDB struct {
	*httptest.Server

	mu   sync.Mutex
	seen []seenRequest
}

// newFakeTMDB starts a fake. A non-nil handler replaces the fixtures, after
// the request has been recorded.
func newFakeTMDB(tb testing.TB, handler http.HandlerFunc) *fakeTMDB {
	tb.Helper()
	f := &fakeTMDB{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /3/movie/now_playing", f.serveFixture("now_playing.json"))
	mux.HandleFunc("GET /3/movie/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.serveFixture("movie_"+r.PathValue("id")+".json")(w, r)
	})
	mux.HandleFunc("GET /3/movie/{id}/credits", func(w http.ResponseWriter, r *http.Request) {
		f.serveFixture("movie_"+r.PathValue("id")+"_credits.json")(w, r)
	})

	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		if handler != nil {
			handler(w, r)
			return
		}
		if !authorized(r) {
			serveFile(w, http.StatusUnauthorized, "error_401.json")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(f.Close)
	return f
}

func (f *fakeTMDB) serveFixture(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join("testdata", name)); err != nil {
			serveFile(w, http.StatusNotFound, "error_404.json")
			return
		}
		serveFile(w, http.StatusOK, name)
	}
}

func (f *fakeTMDB) record(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, seenRequest{
		Path:          r.URL.Path,
		APIKey:        r.URL.Query().Get("api_key"),
		Authorization: r.Header.Get("Authorization"),
	})
}

// paths returns the paths requested so far, sorted.
func (f *fakeTMDB) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var paths []string
	for _, s := range f.seen {
		paths = append(paths, s.Path)
	}
	slices.Sort(paths)
	return paths
}

func (f *fakeTMDB) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

func authorized(r *http.Request) bool {
	return r.URL.Query().Get("api_key") == testAPIKey ||
		r.Header.Get("Authorization") == "Bearer "+testToken
}

// serveFile answers with status and the fixture testdata/name.
func serveFile(w http.ResponseWriter, status int, name string) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
