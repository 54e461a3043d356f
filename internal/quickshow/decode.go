package quickshow

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/marquee-hq/marquee/internal/httpapi"
)

// decode reads the JSON body of r, of at most s.maxBody bytes, into v.
// Fields that v does not name are ignored, as the old back end ignored
// them: nothing the client could add, such as a price, is ever read.
func (s *Surface) decode(w http.ResponseWriter, r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return badInput("The request must be sent as JSON.")
	}

	err = json.NewDecoder(http.MaxBytesReader(w, r.Body, s.maxBody)).Decode(v)
	var (
		maxErr  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		field   *fieldError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &maxErr):
		return badInput("The request is too large.")
	case errors.As(err, &field):
		return badInput("%s", field.msg)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return badInput("The field %s of the request has the wrong type.", typeErr.Field)
	}
	return badInput("The request is not valid JSON.")
}

// fieldError is a field value that a loose type below cannot read.
type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

// looseString is a JSON string or number read as text, for an id that a
// client form may send either way, such as a TMDB movie id.
type looseString string

func (s *looseString) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if data[0] == '"' {
		return json.Unmarshal(data, (*string)(s))
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return &fieldError{msg: "An id must be a string or a number."}
	}
	*s = looseString(n.String())
	return nil
}

// looseNumber is a JSON number, or a string holding one, as a form's text
// input sends it. Set tells a zero from a missing value.
type looseNumber struct {
	Value float64
	Set   bool
}

func (n *looseNumber) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	text := string(data)
	if data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil {
		return &fieldError{msg: "The price must be a number, such as 12.5."}
	}
	n.Value, n.Set = v, true
	return nil
}

// callerID is the signed-in user that httpapi let through.
func callerID(r *http.Request) string {
	c, _ := httpapi.CallerFrom(r.Context())
	return c.UserID
}
