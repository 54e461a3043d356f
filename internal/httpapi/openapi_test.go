package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/api"
)

// mountedRoutes are the routes cmd/server adds through [Options.Mount]. A
// test here cannot import package main, so they are listed by hand: when
// cmd/server mounts a route, add it here and describe it in
// api/openapi.yaml. Handlers are filled in by newSpecServer.
var mountedRoutes = []Mount{
	{Owner: OwnerWebhook, Methods: []string{http.MethodPost}, Pattern: "/api/webhooks/clerk"},
	{Owner: OwnerWebhook, Methods: []string{http.MethodPost}, Pattern: "/api/webhooks/stripe"},
	{Owner: OwnerWebhook, Methods: []string{http.MethodGet, http.MethodPut, http.MethodPost},
		Pattern: "/api/inngest"},
}

// quickshowPrefix is where cmd/server also mounts the surface of package
// quickshow, for existing QuickShow React clients. Its routes are not part
// of the REST contract that api/openapi.yaml describes: they answer every
// refusal and failure with 200 and success false instead of a problem
// document, and their contract is react-client-contract.md, which the
// tests of package quickshow check route by route. So they are not in
// mountedRoutes (this package cannot import quickshow, which imports it),
// and servedRoutes skips them if they are ever mounted here.
const quickshowPrefix = "/quickshow/"

// bearerScheme is the name of the Clerk session scheme in the document, and
// metricsScheme that of METRICS_TOKEN.
const (
	bearerScheme  = "clerkSession"
	metricsScheme = "metricsToken"
)

// loadSpec parses api/openapi.yaml, resolves its references and validates
// it as an OpenAPI document.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatalf("load api/openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("api/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// newSpecServer returns a Server with every route cmd/server serves. New
// only registers routes and calls no service, so none is given.
func newSpecServer(t testing.TB) *Server {
	t.Helper()
	stub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})
	mounts := slices.Clone(mountedRoutes)
	for i := range mounts {
		mounts[i].Handler = stub
	}
	return New(Options{
		Logger:  slog.New(slog.DiscardHandler),
		Mount:   mounts,
		OpenAPI: api.OpenAPI,
	})
}

// servedRoutes walks the router and returns each "METHOD pattern" with its
// owner. chi's {param} patterns are OpenAPI's path templates.
func servedRoutes(t testing.TB, s *Server) map[string]Owner {
	t.Helper()
	out := map[string]Owner{}
	err := chi.Walk(s.Router(), func(method, pattern string, _ http.Handler,
		_ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(pattern, quickshowPrefix) {
			return nil // not REST: see quickshowPrefix
		}
		owner, ok := s.OwnerOf(method, pattern)
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

// specRoutes returns each operation of the document by "METHOD path".
func specRoutes(doc *openapi3.T) map[string]*openapi3.Operation {
	out := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[method+" "+path] = op
		}
	}
	return out
}

func TestOpenAPIDescribesExactlyTheServedRoutes(t *testing.T) {
	t.Parallel()
	served := servedRoutes(t, newSpecServer(t))
	documented := specRoutes(loadSpec(t))

	for _, route := range slices.Sorted(maps.Keys(served)) {
		if documented[route] == nil {
			t.Errorf("%s is served but not described in api/openapi.yaml", route)
		}
	}
	for _, route := range slices.Sorted(maps.Keys(documented)) {
		if _, ok := served[route]; !ok {
			t.Errorf("api/openapi.yaml describes %s, which the router does not serve", route)
		}
	}
}

func TestOpenAPISecurityMatchesOwners(t *testing.T) {
	t.Parallel()
	served := servedRoutes(t, newSpecServer(t))
	documented := specRoutes(loadSpec(t))

	for _, route := range slices.Sorted(maps.Keys(served)) {
		op := documented[route]
		if op == nil {
			continue // reported by TestOpenAPIDescribesExactlyTheServedRoutes
		}
		t.Run(route, func(t *testing.T) {
			owner := served[route]
			if got := op.Extensions["x-owner"]; got != string(owner) {
				t.Errorf("x-owner = %v, want %q", got, owner)
			}
			checkSecurity(t, owner, op)
			for _, status := range expectedStatuses(route, owner, op) {
				if op.Responses.Status(status) == nil {
					t.Errorf("no %d response described", status)
				}
			}
		})
	}
}

// checkSecurity fails unless op states its security explicitly, as the
// route's owner requires: none for public routes, the Clerk session for
// user and admin routes, anything but the session for webhooks.
func checkSecurity(t *testing.T, owner Owner, op *openapi3.Operation) {
	t.Helper()
	if op.Security == nil {
		t.Errorf("security is not stated; every operation states it, public ones as security: []")
		return
	}
	var got []string
	for _, req := range *op.Security {
		got = append(got, strings.Join(slices.Sorted(maps.Keys(req)), "+"))
	}

	switch owner {
	case OwnerPublic:
		if len(got) > 0 {
			t.Errorf("security = %q, want [] for a public route", got)
		}
	case OwnerUser, OwnerAdmin:
		if !slices.Equal(got, []string{bearerScheme}) {
			t.Errorf("security = %q, want [%s]", got, bearerScheme)
		}
	case OwnerWebhook:
		bearer := func(req string) bool { return strings.Contains(req, bearerScheme) }
		if slices.ContainsFunc(got, bearer) {
			t.Errorf("security = %q, want no %s for a signed webhook", got, bearerScheme)
		}
	case OwnerOperator:
		// The token is optional: without METRICS_TOKEN the route is open.
		if !slices.Equal(got, []string{metricsScheme, ""}) {
			t.Errorf("security = %q, want [%s, {}]", got, metricsScheme)
		}
	default:
		t.Errorf("unknown owner %q", owner)
	}
}

// expectedStatuses lists the failures a route cannot avoid, given its owner,
// its path and whether it takes a JSON body.
func expectedStatuses(route string, owner Owner, op *openapi3.Operation) []int {
	var out []int
	if owner == OwnerUser || owner == OwnerAdmin || owner == OwnerOperator {
		out = append(out, http.StatusUnauthorized)
	}
	if owner == OwnerAdmin {
		out = append(out, http.StatusForbidden)
	}
	if op.RequestBody != nil && owner != OwnerWebhook {
		out = append(out, http.StatusBadRequest, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType)
	}
	if strings.Contains(route, "{") {
		out = append(out, http.StatusNotFound)
	}
	return out
}

func TestOpenAPIIsServed(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	newSpecServer(t).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.yaml", nil))

	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/openapi.yaml: status %d, want 200", rec.Code)
	}
	ct := rec.Header().Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || !strings.HasSuffix(mt, "yaml") {
		t.Errorf("GET /api/openapi.yaml: Content-Type %q, want a YAML media type", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), api.OpenAPI) {
		t.Errorf("GET /api/openapi.yaml: body of %d bytes differs from api/openapi.yaml (%d bytes)",
			rec.Body.Len(), len(api.OpenAPI))
	}
}

// schemaStructs pairs schemas of the document with the struct that decodes
// the request body or encodes the response.
var schemaStructs = []struct {
	schema  string
	value   any
	request bool
}{
	{"Movie", movieJSON{}, false},
	{"Genre", genreJSON{}, false},
	{"CastMember", castJSON{}, false},
	{"NowPlayingMovie", nowPlayingJSON{}, false},
	{"Showtime", showtimeJSON{}, false},
	{"Layout", layoutJSON{}, false},
	{"Show", showJSON{}, false},
	{"Booking", bookingJSON{}, false},
	{"ShowSummary", showSummaryJSON{}, false},
	{"MovieSummary", movieSummaryJSON{}, false},
	{"Checkout", checkoutJSON{}, false},
	{"User", userJSON{}, false},
	{"UserSummary", userSummaryJSON{}, false},
	{"Money", moneyJSON{}, false},
	{"ShowWithMovie", showWithMovieJSON{}, false},
	{"ShowSales", showSalesJSON{}, false},
	{"Dashboard", dashboardJSON{}, false},
	{"BookingPage", bookingPageJSON{}, false},
	{"ShowSalesPage", showSalesPageJSON{}, false},
	{"FavoriteMovies", favoritesJSON{}, false},
	{"Problem", problem{}, false},
	{"NewBooking", newBookingJSON{}, true},
	{"NewMovie", newMovieJSON{}, true},
	{"GenreInput", genreJSON{}, true},
	{"CastMemberInput", castJSON{}, true},
	{"ScheduleShows", scheduleJSON{}, true},
	{"LayoutInput", layoutJSON{}, true},
}

func TestOpenAPISchemasMatchStructs(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)

	for _, tt := range schemaStructs {
		t.Run(tt.schema, func(t *testing.T) {
			ref := doc.Components.Schemas[tt.schema]
			if ref == nil || ref.Value == nil {
				t.Fatalf("api/openapi.yaml has no schema %s", tt.schema)
			}
			checkSchema(t, ref.Value, reflect.TypeOf(tt.value), tt.request)
		})
	}
}

// checkSchema compares a schema with a struct: the same property names and
// JSON types; for a response, required exactly when the field is always
// encoded; for a request, no other property allowed.
func checkSchema(t *testing.T, s *openapi3.Schema, typ reflect.Type, request bool) {
	t.Helper()
	fields := jsonFields(typ)
	names, props := slices.Sorted(maps.Keys(fields)), slices.Sorted(maps.Keys(s.Properties))
	if diff := cmp.Diff(names, props); diff != "" {
		t.Errorf("properties differ from %s (-struct +spec):\n%s", typ, diff)
	}
	for name, f := range fields {
		if prop := s.Properties[name]; prop != nil {
			checkType(t, name, prop.Value, f.Type)
		}
	}

	if request {
		if ap := s.AdditionalProperties.Has; ap == nil || *ap {
			t.Errorf("request schema must say additionalProperties: false")
		}
		return
	}
	var always []string
	for name, f := range fields {
		if !f.omitempty {
			always = append(always, name)
		}
	}
	slices.Sort(always)
	required := slices.Sorted(slices.Values(s.Required))
	if diff := cmp.Diff(always, required); diff != "" {
		t.Errorf("required differs from the fields %s always encodes (-struct +spec):\n%s",
			typ, diff)
	}
}

// checkType fails when a property's JSON type, or its items' type, is not
// the one its Go type encodes to.
func checkType(t *testing.T, name string, s *openapi3.Schema, typ reflect.Type) {
	t.Helper()
	want := jsonType(typ)
	if !s.Type.Is(want) {
		t.Errorf("property %s has type %v, want %s (Go %s)", name, s.Type.Slice(), want, typ)
		return
	}
	if want == "array" && s.Items != nil {
		checkType(t, name+"[]", s.Items.Value, typ.Elem())
	}
}

type jsonField struct {
	reflect.Type
	omitempty bool
}

// jsonFields returns the JSON names of a struct's fields as encoding/json
// sees them.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitempty := slices.Contains(strings.Split(opts, ","), "omitempty")
		out[name] = jsonField{Type: f.Type, omitempty: omitempty}
	}
	return out
}

// jsonType is the JSON Schema type encoding/json writes for a Go type.
func jsonType(typ reflect.Type) string {
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == reflect.TypeFor[time.Time]() {
		return "string"
	}
	switch typ.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// httpProblemCodes are the codes the HTTP layer writes itself, besides those
// of the sentinels table.
var httpProblemCodes = []string{
	"invalid_json", "unknown_field", "body_too_large", "unsupported_media_type",
	"validation_failed", "unauthenticated", "forbidden", "not_found", "seats_taken",
	"show_exists", "internal", "rate_limited",
}

func TestOpenAPIDescribesEveryProblemCode(t *testing.T) {
	t.Parallel()
	documented := map[string]bool{}
	for route, op := range specRoutes(loadSpec(t)) {
		for status, resp := range op.Responses.Map() {
			checkProblem(t, fmt.Sprintf("%s %s", route, status), status, resp.Value, documented)
		}
	}

	want := slices.Clone(httpProblemCodes)
	for _, s := range sentinels {
		want = append(want, s.code)
	}
	for _, code := range want {
		if !documented[code] {
			t.Errorf("problem code %q is not described by any response in api/openapi.yaml", code)
		}
	}
}

// checkProblem records the codes a problem response names, and fails when
// it states a status other than the one it is listed under.
func checkProblem(t *testing.T, where, status string, resp *openapi3.Response,
	codes map[string]bool) {
	t.Helper()
	media := resp.Content.Get("application/problem+json")
	if media == nil || media.Schema == nil {
		return
	}
	for _, s := range flatten(media.Schema.Value) {
		if p := s.Properties["code"]; p != nil {
			if p.Value.Const != nil {
				codes[fmt.Sprint(p.Value.Const)] = true
			}
			for _, c := range p.Value.Enum {
				codes[fmt.Sprint(c)] = true
			}
		}
		if p := s.Properties["status"]; p != nil && p.Value.Const != nil {
			if got := fmt.Sprint(p.Value.Const); got != status {
				t.Errorf("%s: problem schema says status %s", where, got)
			}
		}
	}
}

// flatten returns s and every schema it combines with allOf.
func flatten(s *openapi3.Schema) []*openapi3.Schema {
	out := []*openapi3.Schema{s}
	for _, ref := range s.AllOf {
		out = append(out, flatten(ref.Value)...)
	}
	return out
}
