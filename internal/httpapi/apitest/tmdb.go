package apitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FakeTMDB starts a server that speaks TMDB's v3 wire format for a few
// made-up movies: 550 has every field, 551 has TMDB's nulls and empty
// strings, 404 is unknown, 429 is rate limited and 504 never answers in
// time. It returns its URL, for tmdb.Options.BaseURL, and stops when the
// test ends.
func FakeTMDB(t testing.TB) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /movie/now_playing", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"page":1,"results":[{"id":550,"title":"Lanterns at Low Tide",
			"poster_path":"/lanterns.jpg","release_date":"2026-11-20","vote_average":7.9,
			"vote_count":812,"overview":"A ferry captain..."}],"total_pages":1,"total_results":1}`)
	})
	mux.HandleFunc("GET /movie/{id}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("id") {
		case "550":
			fmt.Fprint(w, `{"id":550,"title":"Lanterns at Low Tide","overview":"A ferry captain...",
				"poster_path":"/lanterns.jpg","backdrop_path":"/lanterns-wide.jpg",
				"release_date":"2026-11-20","original_language":"en","tagline":"Keep the light on.",
				"genres":[{"id":18,"name":"Drama"}],"vote_average":7.9,"runtime":117}`)
		case "551":
			fmt.Fprint(w, `{"id":551,"title":"Untitled Sequel","overview":null,"poster_path":null,
				"backdrop_path":null,"release_date":"","original_language":"fr","tagline":null,
				"genres":[],"vote_average":0,"runtime":null}`)
		case "429":
			w.Header().Set("Retry-After", "10")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"status_code":25,"status_message":"Your request count is over the limit."}`)
		case "504":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"success":false,"status_code":34,"status_message":"The resource you requested could not be found."}`)
		}
	})
	mux.HandleFunc("GET /movie/{id}/credits", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id":%s,"cast":[{"name":"Mara Quill","character":"Captain Ines","profile_path":"/mara.jpg","order":0},
			{"name":"Tobiah Fenn","character":"Harbourmaster","profile_path":null,"order":1}],"crew":[]}`, r.PathValue("id"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}
