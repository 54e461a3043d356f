package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeBody runs decode on body sent as application/json, into v.
func decodeBody(body string, v any) error {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return decode(httptest.NewRecorder(), r, fuzzBodyLimit, v)
}

// decodeCase is a body, the struct it is decoded into, and what decode
// should make of it: the value when wantCode is "", the refusal otherwise.
type decodeCase struct {
	name       string
	body       string
	into, want any
	wantStatus int
	wantCode   string
	wantDetail string
}

// checkDecode runs each case in a subtest.
func checkDecode(t *testing.T, tests []decodeCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := decodeBody(tc.body, tc.into)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("decode(%s) = %v, want it accepted", tc.body, err)
				}
				if diff := cmp.Diff(tc.want, tc.into); diff != "" {
					t.Errorf("decode(%s) (-want +got):\n%s", tc.body, diff)
				}
				return
			}
			var herr *Error
			if !errors.As(err, &herr) {
				t.Fatalf("decode(%s) = %v (%T), want an *Error", tc.body, err, err)
			}
			got := [3]any{herr.Status, herr.Code, herr.Detail}
			if want := [3]any{tc.wantStatus, tc.wantCode, tc.wantDetail}; got != want {
				t.Errorf("decode(%s) = %d %s %q, want %d %s %q", tc.body,
					herr.Status, herr.Code, herr.Detail, tc.wantStatus, tc.wantCode, tc.wantDetail)
			}
		})
	}
}

// TestDecodeTakesOnlyExactKeysOnce checks that a key is refused unless it
// is a field's name exactly, case for case, and appears once, at every
// depth: encoding/json alone folds case and keeps the last of two.
func TestDecodeTakesOnlyExactKeysOnce(t *testing.T) {
	t.Parallel()
	const bad, unknown = "invalid_json", "unknown_field"
	show := func(layout string) string {
		return `{"movieId":"m1","price":1250,"startTimes":[],"layout":` + layout + `}`
	}
	price := int64(1250)

	checkDecode(t, []decodeCase{
		{name: "exact names", body: `{"showId":"s1","seats":["A1"]}`, into: &newBookingJSON{},
			want: &newBookingJSON{ShowID: "s1", Seats: []string{"A1"}}},
		{name: "exact name, escaped", body: `{"show\u0049d":"s1"}`, into: &newBookingJSON{},
			want: &newBookingJSON{ShowID: "s1"}},
		{name: "names in capitals", body: `{"SHOWID":"x","Seats":["A1"]}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "SHOWID"`},
		{name: "name that folds to a field", body: `{"showId":"x","\u017feats":["A1"]}`,
			into:       &newBookingJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "ſeats"`},
		{name: "name twice", body: `{"showId":"a","showId":"b"}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "showId" appears twice`},
		{name: "name twice, once in other case", body: `{"showId":"a","showid":"b"}`,
			into:       &newBookingJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "showid"`},
		{name: "layout", body: show(`{"rows":["A"],"seatsPerRow":9}`), into: &scheduleJSON{},
			want: &scheduleJSON{MovieID: "m1", Price: &price, StartTimes: []string{},
				Layout: &layoutJSON{Rows: []string{"A"}, SeatsPerRow: 9}}},
		{name: "layout null", body: show(`null`), into: &scheduleJSON{},
			want: &scheduleJSON{MovieID: "m1", Price: &price, StartTimes: []string{}}},
		{name: "layout key in capitals", body: show(`{"Rows":["A"],"seatsPerRow":9}`),
			into:       &scheduleJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "layout.Rows"`},
		{name: "layout key unknown", body: show(`{"rows":["A"],"seatsPerRow":9,"aisle":1}`),
			into:       &scheduleJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "layout.aisle"`},
		{name: "layout key twice", body: show(`{"rows":["A"],"seatsPerRow":9,"seatsPerRow":90}`),
			into:       &scheduleJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "layout.seatsPerRow" appears twice`},
		{name: "genre key in capitals",
			body:       `{"title":"x","genres":[{"id":1,"name":"Drama"},{"id":2,"NAME":"Noir"}]}`,
			into:       &newMovieJSON{},
			wantStatus: 400, wantCode: unknown, wantDetail: `unknown field "genres[1].NAME"`},
		{name: "cast key twice", body: `{"title":"x","cast":[{"name":"Ida","name":"Eve"}]}`,
			into:       &newMovieJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "cast[0].name" appears twice`},
		{name: "object where a string goes", body: `{"showId":{"a":1,"a":2},"seats":[]}`,
			into:       &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "showId" must be a JSON string`},
		{name: "two values", body: `{"showId":"a"} {"showId":"b"}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: "the body must hold exactly one JSON value"},
		{name: "cut short", body: `{"showId":"a",`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: "the body is empty or cut short"},
		{name: "malformed", body: `{"showId" "a"}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: "malformed JSON at byte 11"},
	})
}

// TestDecodeNamesTheJSONTypeWanted checks the refusal of a value of the
// wrong type, and of a body that is not an object: encoding/json would
// take null as {}.
func TestDecodeNamesTheJSONTypeWanted(t *testing.T) {
	t.Parallel()
	const bad = "invalid_json"
	schedule := func(fields string) string {
		return `{"movieId":"m1","startTimes":[],` + fields + `}`
	}

	tests := []decodeCase{
		{name: "fraction for an integer", body: schedule(`"price":1.5`), into: &scheduleJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "price" must be a whole number`},
		{name: "exponent for an integer", body: schedule(`"price":1e3`), into: &scheduleJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "price" must be a whole number`},
		{name: "string for an integer", body: schedule(`"price":"1250"`), into: &scheduleJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "price" must be a whole number`},
		{name: "integer out of range", body: schedule(`"price":99999999999999999999`),
			into: &scheduleJSON{}, wantStatus: 400, wantCode: bad,
			wantDetail: `field "price" must be a whole number from -9223372036854775808 to 9223372036854775807`},
		{name: "fraction in the layout",
			body: schedule(`"price":1,"layout":{"rows":["A"],"seatsPerRow":9.5}`),
			into: &scheduleJSON{}, wantStatus: 400, wantCode: bad,
			wantDetail: `field "layout.seatsPerRow" must be a whole number`},
		{name: "fraction for a genre id", body: `{"title":"x","genres":[{"id":1.5,"name":"x"}]}`,
			into: &newMovieJSON{}, wantStatus: 400, wantCode: bad,
			wantDetail: `field "genres.id" must be a whole number`},
		{name: "fraction for a float", body: `{"title":"x","voteAverage":7.5}`,
			into: &newMovieJSON{}, want: &newMovieJSON{Title: "x", VoteAverage: 7.5}},
		{name: "string for a float", body: `{"title":"x","voteAverage":"7.5"}`, into: &newMovieJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "voteAverage" must be a JSON number`},
		{name: "number for a string", body: `{"showId":12}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "showId" must be a JSON string`},
		{name: "string for an array", body: `{"seats":"A1"}`, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "seats" must be a JSON array`},
		{name: "array for an object", body: schedule(`"price":1,"layout":[]`), into: &scheduleJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: `field "layout" must be a JSON object`},
		{name: "empty object", body: ` {} `, into: &newBookingJSON{}, want: &newBookingJSON{}},
	}
	for _, body := range []string{`null`, ` null `, `[]`, `[{"showId":"x"}]`, `"x"`, `12`, `true`} {
		tests = append(tests, decodeCase{name: "body " + body, body: body, into: &newBookingJSON{},
			wantStatus: 400, wantCode: bad, wantDetail: "the body must be a JSON object"})
	}
	checkDecode(t, tests)
}
