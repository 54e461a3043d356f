package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/marquee-hq/marquee/internal/dependency"
)

// Session is who a verified session token belongs to.
type Session struct {
	UserID    string
	SessionID string
}

// Authenticator verifies session tokens. Verify returns ErrNoToken for an
// empty token or the literal "null" a signed-out browser sends, an error
// marked dependency.ErrUnavailable when the keys to check it cannot be had,
// and any other error for a token that is not valid.
type Authenticator interface {
	Verify(ctx context.Context, token string) (Session, error)
}

// ErrNoToken means the request carries no session token at all.
var ErrNoToken = errors.New("no session token")

// RoleFinder tells whether a user's stored role is admin.
type RoleFinder interface {
	IsAdmin(ctx context.Context, userID string) (bool, error)
}

// Caller is the signed-in user making a request.
type Caller struct {
	UserID string
	Admin  bool
}

type callerKey struct{}

// CallerFrom returns the signed-in caller of a request, if any.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}

func withCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// requireUser lets a request through only with a valid session token, and
// puts the caller in its context.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := bearerToken(r)
		sess, err := s.auth.Verify(r.Context(), token)
		if errors.Is(err, dependency.ErrUnavailable) {
			s.fail(w, r, err)
			return
		}
		if err != nil {
			detail := "the session token is missing, expired or not valid"
			if errors.Is(err, ErrNoToken) {
				detail = "sign in first: send Authorization: Bearer <session token>"
			}
			s.logger.DebugContext(r.Context(), "refused session token", "err", err)
			w.Header().Set("WWW-Authenticate", `Bearer realm="marquee"`)
			s.refuse(w, r, newProblem(http.StatusUnauthorized, "unauthenticated", detail))
			return
		}

		c := Caller{UserID: sess.UserID, Admin: slices.Contains(s.adminIDs, sess.UserID)}
		setLogUser(r.Context(), c.UserID)
		next.ServeHTTP(w, r.WithContext(withCaller(r.Context(), c)))
	})
}

// requireAdmin lets through only callers listed in ADMIN_USER_IDS or whose
// stored role is admin. It runs after requireUser.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := CallerFrom(r.Context())
		if !c.Admin && s.roles != nil {
			admin, err := s.roles.IsAdmin(r.Context(), c.UserID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			c.Admin = admin
		}
		if !c.Admin {
			s.refuse(w, r, newProblem(http.StatusForbidden, "forbidden", "this needs an admin"))
			return
		}
		next.ServeHTTP(w, r.WithContext(withCaller(r.Context(), c)))
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	token = strings.TrimSpace(token)
	if token == "null" || token == "undefined" {
		return ""
	}
	return token
}

// caller returns the caller that requireUser put in the context.
func caller(r *http.Request) Caller {
	c, _ := CallerFrom(r.Context())
	return c
}
