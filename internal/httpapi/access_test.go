package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/quickshow"
)

// publicRoutes is every route anyone may call. A change here is a change of
// who can see what: review it as such.
var publicRoutes = []string{
	"GET /api/movies",
	"GET /api/movies/{movieId}",
	"GET /api/openapi.yaml",
	"GET /api/shows",
	"GET /api/shows/{showId}",
	"GET /api/shows/{showId}/seats",
	"GET /healthz",
	"GET /quickshow/api/booking/seats/{showId}",
	"GET /quickshow/api/show/all",
	"GET /quickshow/api/show/{movieId}",
	"GET /readyz",
}

// routes walks the router and returns "METHOD pattern" with each owner.
func routes(t *testing.T, srv *httpapi.Server) map[string]httpapi.Owner {
	t.Helper()
	out := map[string]httpapi.Owner{}
	err := chi.Walk(srv.Router(), func(method, pattern string, _ http.Handler,
		_ ...func(http.Handler) http.Handler) error {
		owner, ok := srv.OwnerOf(method, pattern)
		if !ok {
			t.Errorf("route %s %s has no declared owner", method, pattern)
		}
		out[method+" "+pattern] = owner
		return nil
	})
	if err != nil {
		t.Fatalf("chi.Walk: %v", err)
	}
	return out
}

func TestEveryRouteHasAnOwnerAndPublicOnesAreListed(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	var public []string
	for route, owner := range routes(t, a.server) {
		if owner == httpapi.OwnerPublic {
			public = append(public, route)
		}
	}
	slices.Sort(public)
	if diff := cmp.Diff(publicRoutes, public); diff != "" {
		t.Errorf("public routes changed (-want +got):\n%s", diff)
	}
}

var paramRE = regexp.MustCompile(`\{[^}]+\}`)

// TestRoutesRefuseTheWrongCaller sends every user and admin route a request
// with no token, the "Bearer null" of a signed-out browser, a forged token
// and an expired one, and every admin route a signed-in non-admin. The
// routes of the /quickshow surface refuse them the way its clients read:
// 200 with success false and a message.
func TestRoutesRefuseTheWrongCaller(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	forged := a.token("user_mallory")
	forged = forged[:len(forged)-4] + "AAAA"
	expired := a.tokenAt("user_mallory", time.Now().Add(-2*time.Hour), time.Hour)

	for route, owner := range routes(t, a.server) {
		method, pattern, _ := strings.Cut(route, " ")
		path := paramRE.ReplaceAllString(pattern, "000000000000000000000000")
		switch owner {
		case httpapi.OwnerUser, httpapi.OwnerAdmin:
			for name, tok := range map[string]string{
				"none": "", "null": "null", "forged": forged, "expired": expired, "garbage": "x.y.z",
			} {
				got := a.do(method, path, tok, nil)
				problem := refusal(pattern, got, http.StatusUnauthorized, "unauthenticated")
				if problem != "" {
					t.Errorf("%s with token %s: %s", route, name, problem)
				}
			}
		}
		if owner == httpapi.OwnerAdmin {
			got := a.do(method, path, a.token("user_bob"), nil)
			if problem := refusal(pattern, got, http.StatusForbidden, "forbidden"); problem != "" {
				t.Errorf("%s as a non-admin: %s", route, problem)
			}
		}
	}
}

// refusal says what is wrong with got as the refusal of a request to the
// route pattern, or "": a problem with the status and code wanted, or on
// the /quickshow surface 200 with success false and a message.
func refusal(pattern string, got response, status int, code string) string {
	if !strings.HasPrefix(pattern, quickshow.Prefix+"/") {
		if got.status != status || got.problemCode() != code {
			return fmt.Sprintf("got %d %s, want %d %s", got.status, got.body, status, code)
		}
		return ""
	}
	var body struct {
		Success *bool
		Message string
	}
	err := json.Unmarshal(got.body, &body)
	if got.status != http.StatusOK || err != nil || body.Success == nil || *body.Success ||
		body.Message == "" {
		return fmt.Sprintf("got %d %s, want 200 with success false and a message",
			got.status, got.body)
	}
	return ""
}

func TestBookingsOfOthersAreHidden(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	alice, bob := a.token("user_alice"), a.token("user_bob")

	made := a.do("POST", "/api/bookings", alice, map[string]any{"showId": sh.ID, "seats": []string{"A1"}})
	if made.status != http.StatusCreated {
		t.Fatalf("create booking: got %d %s", made.status, made.body)
	}
	var b struct{ Booking struct{ ID string } }
	made.decode(t, &b)

	for _, tc := range []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/api/bookings/" + b.Booking.ID, bob, http.StatusNotFound},
		{"POST", "/api/bookings/" + b.Booking.ID + "/cancel", bob, http.StatusNotFound},
		{"GET", "/api/bookings/" + b.Booking.ID, alice, http.StatusOK},
		{"GET", "/api/bookings/" + b.Booking.ID, a.token(adminID), http.StatusOK},
	} {
		got := a.do(tc.method, tc.path, tc.token, nil)
		if got.status != tc.want {
			t.Errorf("%s %s: got %d %s, want %d", tc.method, tc.path, got.status, got.body, tc.want)
		}
	}

	var list struct{ Bookings []struct{ ID string } }
	a.do("GET", "/api/bookings", bob, nil).decode(t, &list)
	if len(list.Bookings) != 0 {
		t.Errorf("GET /api/bookings as bob listed %d bookings of alice's", len(list.Bookings))
	}
}
