package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/show"
)

// respond writes v as JSON with status. It encodes into a buffer first so an
// encoding failure becomes a 500 rather than a truncated 200.
func respond(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func writeProblem(w http.ResponseWriter, p problem) {
	body, _ := json.Marshal(p) // a problem holds only strings and ints
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_, _ = w.Write(append(body, '\n'))
}

// decode reads one JSON object into v from a request body of at most
// maxBytes. It refuses trailing data, and any key, at any depth, that is
// not exactly the name of a field or that appears twice: see [checkKeys].
func decode(w http.ResponseWriter, r *http.Request, maxBytes int64, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return errorf(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"the request body must be application/json")
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var value json.RawMessage
	if err := dec.Decode(&value); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errorf(http.StatusBadRequest, "invalid_json", "the body must hold exactly one JSON value")
	}
	if value[0] != '{' { // encoding/json would take null as {}
		return errorf(http.StatusBadRequest, "invalid_json", "the body must be a JSON object")
	}
	if err := checkKeys(value, reflect.TypeOf(v)); err != nil {
		return err
	}

	// value is well formed and its keys are known: what is left to fail
	// is a value of the wrong type.
	dec = json.NewDecoder(bytes.NewReader(value))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

func decodeError(err error) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return errorf(http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the body must be at most %d bytes", maxErr.Limit))
	case errors.As(err, &syntaxErr):
		return errorf(http.StatusBadRequest, "invalid_json",
			fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset))
	case errors.As(err, &typeErr):
		return errorf(http.StatusBadRequest, "invalid_json",
			fmt.Sprintf("field %q must be %s", typeErr.Field, jsonKind(typeErr.Type, typeErr.Value)))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, "invalid_json", "the body is empty or cut short")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		// encoding/json reports unknown fields only by message text.
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return errorf(http.StatusBadRequest, "unknown_field", "unknown field "+field)
	}
	return errorf(http.StatusBadRequest, "invalid_json", "the body is not valid JSON for this request")
}

// jsonKind names the JSON value that Go type t decodes from, for a client
// who sent value instead (as encoding/json describes it: "number 1.5").
func jsonKind(t reflect.Type, value string) string {
	t = indirect(t)
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "a JSON array"
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	case reflect.String:
		return "a JSON string"
	case reflect.Bool:
		return "a JSON boolean"
	case reflect.Float32, reflect.Float64:
		return "a JSON number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if wholeLiteral(value) {
			maxInt := int64(math.MaxInt64 >> (64 - t.Bits()))
			return fmt.Sprintf("a whole number from %d to %d", -maxInt-1, maxInt)
		}
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if wholeLiteral(value) {
			return fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64>>(64-t.Bits())))
		}
		return "a whole number"
	}
	return "a JSON value of another type"
}

// wholeLiteral reports whether value, as encoding/json describes a value
// it could not decode, is a number written as digits only: one that is
// whole but out of range.
func wholeLiteral(value string) bool {
	digits, ok := strings.CutPrefix(value, "number ")
	digits = strings.TrimPrefix(digits, "-")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

func seatIDs(seats []show.Seat) []string {
	ids := make([]string, len(seats))
	for i, s := range seats {
		ids[i] = s.String()
	}
	return ids
}

func formatTimes(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format(time.RFC3339)
	}
	return out
}
