package favorite

import (
	"context"
	"fmt"
)

// Toggle removes the movie from the user's favourites when it is among
// them, and adds it otherwise, as a heart button does. It reports whether
// the movie is a favourite afterwards. It fails with movie.ErrNotFound for
// a movie that is neither among the favourites nor in the catalogue.
//
// Two toggles of one movie that race may both find it absent: it is then
// stored once, and both report it added.
func (s *Service) Toggle(ctx context.Context, userID, movieID string) (bool, error) {
	removed, err := s.store.Delete(ctx, userID, movieID)
	if err != nil {
		return false, fmt.Errorf("toggle favorite %s of user %s: %w", movieID, userID, err)
	}
	if removed {
		return false, nil
	}

	if err := s.Add(ctx, userID, movieID); err != nil {
		return false, err
	}
	return true, nil
}
