package tmdb_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/tmdb"
)

// Importing a movie from a local stand-in for TMDB: the details and the
// credits are fetched at once and joined.
func ExampleClient_Movie() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /3/movie/1003", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":1003,"title":"The Long Orbit Home","runtime":null,"genres":[]}`)
	})
	mux.HandleFunc("GET /3/movie/1003/credits", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":1003,"cast":[`+
			`{"name":"Noor Haddad","character":"Flight Engineer","order":0}]}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := tmdb.New(tmdb.Options{APIKey: "0123456789abcdef0123456789abcdef", BaseURL: srv.URL + "/3"})
	m, err := c.Movie(context.Background(), 1003)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s, runtime %d, starring %s\n", m.Title, m.Runtime, m.Cast[0].Name)

	_, err = c.Movie(context.Background(), 9999)
	fmt.Println(errors.Is(err, movie.ErrSourceNotFound))
	// Output:
	// The Long Orbit Home, runtime 0, starring Noor Haddad
	// true
}
