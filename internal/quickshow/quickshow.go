// Package quickshow serves the React frontends written for the QuickShow
// style of Express and Mongoose back end, unchanged, as a second HTTP
// surface under /quickshow over the same domain services as the REST API.
//
// Such a client reads the "success" field of every answer and never the
// status code, so every answer here, a refusal or a failure included, is
// 200 with {"success": false, "message": "..."} when it did not work, the
// message written for a person. Documents are shaped the Mongoose way:
// "_id", snake_case movie fields, times in UTC with milliseconds, money in
// major units. The contract is the shared document
// react-client-contract.md; docs.go holds the shapes.
//
// Nothing here decides a booking rule: seats, holds, prices and who may see
// what are the services' to decide, and the checks of who may call a route
// are httpapi's, which mounts these routes with their owners (see
// [Surface.Routes]).
package quickshow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
)

// Prefix is where the surface is mounted: a client's VITE_BASE_URL is the
// server's URL followed by it.
const Prefix = "/quickshow"

// Options are the dependencies and settings of a [Surface].
type Options struct {
	Logger    *slog.Logger
	Movies    *movie.Service
	Shows     *show.Service
	Bookings  *booking.Service
	Favorites *favorite.Service
	Reports   *report.Service

	// Payments opens the Stripe Checkout page of a new booking; when it is
	// nil or not enabled, a new booking sends the buyer to ClientURL's
	// /my-bookings page instead, where the hold waits to run out.
	Payments *payment.Service

	// ClientURL is the React client's base URL, without a trailing slash
	// (CLIENT_URL).
	ClientURL string

	// Location is the theatre's time zone (THEATER_TIMEZONE): show times
	// typed as a date and a time are read in it, and shows are grouped by
	// its days. Nil means UTC.
	Location *time.Location

	// Currency is the currency of the shows scheduled here.
	Currency money.Currency

	// MaxBodyBytes caps a request body; 0 means 1 MiB.
	MaxBodyBytes int64

	Now func() time.Time // nil means time.Now
}

// Surface is the QuickShow surface. Mount its [Surface.Routes] with
// httpapi.Options.Mount.
type Surface struct {
	logger    *slog.Logger
	movies    *movie.Service
	shows     *show.Service
	bookings  *booking.Service
	favorites *favorite.Service
	reports   *report.Service
	payments  *payment.Service
	clientURL string
	loc       *time.Location
	currency  money.Currency
	maxBody   int64
	now       func() time.Time
}

// New returns a Surface.
func New(o Options) *Surface {
	s := &Surface{
		logger:    o.Logger,
		movies:    o.Movies,
		shows:     o.Shows,
		bookings:  o.Bookings,
		favorites: o.Favorites,
		reports:   o.Reports,
		payments:  o.Payments,
		clientURL: o.ClientURL,
		loc:       o.Location,
		currency:  o.Currency,
		maxBody:   o.MaxBodyBytes,
		now:       o.Now,
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// handlerFunc is a handler of this surface: it writes its answer, or
// returns why it could not, which [Surface.handle] turns into
// {"success": false}.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h so that every failure leaves through s.fail.
func (s *Surface) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail logs err once, at the level it deserves, and answers with its
// message for a person.
func (s *Surface) fail(w http.ResponseWriter, r *http.Request, err error) {
	msg, internal := message(err, s.loc)
	reqID := middleware.GetReqID(r.Context())
	if internal {
		s.logger.ErrorContext(r.Context(), "request failed", "err", err, "request_id", reqID)
	} else {
		s.logger.DebugContext(r.Context(), "request refused", "err", err, "request_id", reqID)
	}
	writeFailure(w, msg)
}

// refuse answers a request that httpapi turned away before its handler
// ran. It is the RefuseFunc of every route here.
func (s *Surface) refuse(w http.ResponseWriter, r *http.Request, why httpapi.Refusal) {
	// A 200 carries no challenge; the client reads the message instead.
	w.Header().Del("WWW-Authenticate")
	writeFailure(w, refusalMessage(why))
}

// succeed writes fields with "success": true. It encodes into a buffer
// first, so that an encoding failure can still be answered as one.
func succeed(w http.ResponseWriter, fields map[string]any) error {
	fields["success"] = true
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(fields); err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// writeFailure writes {"success": false, "message": msg} with status 200,
// which is how this surface's clients learn that something did not work.
func writeFailure(w http.ResponseWriter, msg string) {
	body, _ := json.Marshal(failureJSON{Message: msg}) // strings only
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n'))
}

// failureJSON is every answer that did not work.
type failureJSON struct {
	Success bool   `json:"success"` // always false
	Message string `json:"message"`
}
