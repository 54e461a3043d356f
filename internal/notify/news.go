package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// NewsPage is what [Service.AnnounceShows] did with one page of users.
type NewsPage struct {
	Outcome Outcome // Sent, Skipped or NotDue (the shows are gone)
	Sent    int
	// Failed holds the ids of the users whose message could not be sent,
	// such as for a bad address. They do not stop the others.
	Failed []string
	// Next is the cursor of the next page, "" after the last.
	Next string
}

// AnnounceShows tells one page of users, those after the cursor "after",
// of the upcoming shows among showIDs of a movie. Users without an address
// are passed over. It fails as a whole only when no message could be sent
// at all, such as when the mail server is down; a retry sends the page
// again.
func (s *Service) AnnounceShows(ctx context.Context, movieID string, showIDs []string,
	after string, limit int) (NewsPage, error) {
	if s.Mailer == nil {
		return NewsPage{Outcome: Skipped}, nil
	}
	m, shows, err := s.announced(ctx, movieID, showIDs)
	if err != nil || len(shows) == 0 {
		return NewsPage{Outcome: NotDue}, err
	}

	users, next, err := s.Recipients.UsersAfter(ctx, after, limit)
	if err != nil {
		return NewsPage{}, fmt.Errorf("announce shows of movie %s: %w", movieID, err)
	}
	var msgs []Message
	var to []string // user ids, by message
	for _, u := range users {
		if u.Email == "" {
			continue
		}
		msg, err := s.showsMessage(u.Email, u.Name, m, shows)
		if err != nil {
			return NewsPage{}, err
		}
		msgs, to = append(msgs, msg), append(to, u.ID)
	}

	page := NewsPage{Outcome: Sent, Next: next}
	if len(msgs) == 0 {
		return page, nil
	}
	errs, err := s.Mailer.Send(ctx, msgs)
	if err != nil {
		return NewsPage{}, fmt.Errorf("announce shows of movie %s: %w", movieID, err)
	}
	for i, err := range errs {
		if err != nil {
			page.Failed = append(page.Failed, to[i])
			continue
		}
		page.Sent++
	}
	return page, nil
}

// announced returns the movie and those of the shows that are still to
// start, soonest first; none when the movie or the shows are gone.
func (s *Service) announced(ctx context.Context, movieID string,
	showIDs []string) (movie.Movie, []show.Show, error) {
	m, err := s.Movies.Movie(ctx, movieID)
	if errors.Is(err, movie.ErrNotFound) {
		return movie.Movie{}, nil, nil
	}
	if err != nil {
		return movie.Movie{}, nil, fmt.Errorf("announce shows of movie %s: %w", movieID, err)
	}

	upcoming, err := s.Shows.Find(ctx, show.Filter{MovieID: movieID, From: s.now()})
	if err != nil {
		return movie.Movie{}, nil, fmt.Errorf("announce shows of movie %s: %w", movieID, err)
	}
	var shows []show.Show
	for _, sh := range upcoming {
		if slices.Contains(showIDs, sh.ID) {
			shows = append(shows, sh)
		}
	}
	return m, shows, nil
}
