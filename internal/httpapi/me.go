package httpapi

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/user"
)

// userJSON is a User of api.md: the caller's own profile.
type userJSON struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	ImageURL string    `json:"imageUrl"`
	Role     user.Role `json:"role"`
}

// userSummaryJSON is the buyer of a booking in the admin's list. A buyer
// who has not arrived from Clerk yet, or was deleted, has only an id.
type userSummaryJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	ImageURL string `json:"imageUrl,omitempty"`
}

func toUserSummaryJSON(id string, u user.User) *userSummaryJSON {
	return &userSummaryJSON{ID: id, Name: u.Name, Email: u.Email, ImageURL: u.ImageURL}
}

// favoritesJSON is the body of GET /api/me/favorites.
type favoritesJSON struct {
	Movies     []movieJSON `json:"movies"`
	NextCursor string      `json:"nextCursor,omitempty"`
}

// errNotSynced answers GET /api/me for a signed-in user whom Clerk's
// webhook has not brought here yet (or who was deleted since signing in).
var errNotSynced = errorf(http.StatusNotFound, "not_found",
	"no profile is stored for this account yet: Clerk sends new accounts to the server "+
		"within seconds, so try again shortly")

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	c := caller(r)
	u, err := s.users.User(r.Context(), c.UserID)
	if errors.Is(err, user.ErrNotFound) {
		return errNotSynced
	}
	if err != nil {
		return err
	}

	out := userJSON{ID: u.ID, Name: u.Name, Email: u.Email, ImageURL: u.ImageURL, Role: u.Role}
	if c.Admin { // listed in ADMIN_USER_IDS, whatever Clerk says
		out.Role = user.RoleAdmin
	}
	return respond(w, http.StatusOK, map[string]any{"user": out})
}

func (s *Server) listFavorites(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}

	movies, next, err := s.favorites.Movies(r.Context(), caller(r).UserID, req)
	if err != nil {
		return err
	}

	out := favoritesJSON{Movies: make([]movieJSON, len(movies)), NextCursor: next.String()}
	for i, m := range movies {
		out.Movies[i] = toMovieJSON(m)
	}
	return respond(w, http.StatusOK, out)
}

func (s *Server) addFavorite(w http.ResponseWriter, r *http.Request) error {
	err := s.favorites.Add(r.Context(), caller(r).UserID, chi.URLParam(r, "movieId"))
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) removeFavorite(w http.ResponseWriter, r *http.Request) error {
	err := s.favorites.Remove(r.Context(), caller(r).UserID, chi.URLParam(r, "movieId"))
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
