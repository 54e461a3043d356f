package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// TestHeadIsServedLikeGet sends HEAD where GET is served: the same status
// and headers, no body, and the same refusals.
func TestHeadIsServedLikeGet(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	bob := a.token("user_bob")

	for _, tc := range []struct {
		name, path, token string
		wantStatus        int
	}{
		{"probe", "/healthz", "", http.StatusOK},
		{"document", "/api/openapi.yaml", "", http.StatusOK},
		{"public list", "/api/shows", "", http.StatusOK},
		{"public item", "/api/shows/" + sh.ID, "", http.StatusOK},
		{"missing item", "/api/shows/000000000000000000000000", "", http.StatusNotFound},
		{"user route", "/api/me/favorites", bob, http.StatusOK},
		{"user route, signed out", "/api/bookings", "", http.StatusUnauthorized},
		{"admin route, not an admin", "/api/admin/dashboard", bob, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			get := a.do("GET", tc.path, tc.token, nil)
			head := a.do("HEAD", tc.path, tc.token, nil)
			if get.status != tc.wantStatus || head.status != tc.wantStatus {
				t.Fatalf("GET, HEAD %s: got %d and %d, want %d", tc.path, get.status, head.status,
					tc.wantStatus)
			}
			if len(head.body) != 0 {
				t.Errorf("HEAD %s: body of %d bytes, want none", tc.path, len(head.body))
			}
			if g, h := get.header.Get("Content-Type"), head.header.Get("Content-Type"); g != h {
				t.Errorf("HEAD %s: Content-Type %q, want GET's %q", tc.path, h, g)
			}
			if n := head.header.Get("Content-Length"); n != "" && n != strconv.Itoa(len(get.body)) {
				t.Errorf("HEAD %s: Content-Length %s, want GET's %d", tc.path, n, len(get.body))
			}
		})
	}
}

// TestMethodNotAllowedListsAllowedMethods checks the Allow header of every
// 405, which RFC 9110 requires, and that an unknown method on an unknown
// path is a 404.
func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	id := "000000000000000000000000"

	for _, tc := range []struct {
		method, path string
		wantStatus   int
		wantAllow    string
	}{
		{"PATCH", "/healthz", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/api/openapi.yaml", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"DELETE", "/api/bookings", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"GET", "/api/bookings/" + id + "/cancel", http.StatusMethodNotAllowed, "POST"},
		{"PUT", "/api/shows/" + id, http.StatusMethodNotAllowed, "GET, HEAD, DELETE"},
		{"POST", "/api/me/favorites/" + id, http.StatusMethodNotAllowed, "PUT, DELETE"},
		{"PUT", "/api/movies", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{"BREW", "/healthz", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"BREW", "/no/such/route", http.StatusNotFound, ""},
		{"PATCH", "/no/such/route", http.StatusNotFound, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			got := a.do(tc.method, tc.path, "", nil)
			wantCode := map[int]string{405: "method_not_allowed", 404: "not_found"}[tc.wantStatus]
			if got.status != tc.wantStatus || got.problemCode() != wantCode {
				t.Errorf("got %d %s, want %d %s", got.status, got.body, tc.wantStatus, wantCode)
			}
			if allow := got.header.Values("Allow"); len(allow) > 1 ||
				got.header.Get("Allow") != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tc.wantAllow)
			}
		})
	}
}
