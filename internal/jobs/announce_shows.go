package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/notify"
)

// announceBatch is how many users one step writes to.
const announceBatch = 100

// NewsNotices tells users of new shows. It is implemented by
// notify.Service.
type NewsNotices interface {
	// AnnounceShows e-mails one page of users, those after the cursor,
	// about the upcoming shows among showIDs of a movie.
	AnnounceShows(ctx context.Context, movieID string, showIDs []string, after string,
		limit int) (notify.NewsPage, error)
}

// NewAnnounceShows registers the function announce-shows: on
// shows/scheduled it e-mails every user with an address about the new
// shows, a page of users per step. A user whose address the mail server
// refuses is counted and passed over; the others still get theirs. A page
// that fails as a whole, such as while the mail server is down, is retried
// by itself.
func NewAnnounceShows(c *Client, notices NewsNotices) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "announce-shows", Name: "Tell users of new shows"},
		inngestgo.EventTrigger(EventShowsScheduled, nil),
		func(ctx context.Context, in inngestgo.Input[ShowsScheduledData]) (any, error) {
			d := in.Event.Data
			if d.MovieID == "" || len(d.ShowIDs) == 0 {
				err := errors.New("shows/scheduled without a movie or shows")
				return nil, inngestgo.NoRetryError(err)
			}

			sent, failed, outcome := 0, 0, notify.Sent
			cursor := ""
			for n := 0; ; n++ {
				page, err := step.Run(ctx, fmt.Sprintf("announce-page-%d", n),
					func(ctx context.Context) (notify.NewsPage, error) {
						return notices.AnnounceShows(ctx, d.MovieID, d.ShowIDs, cursor,
							announceBatch)
					})
				if err != nil {
					return nil, err
				}
				sent, failed, outcome = sent+page.Sent, failed+len(page.Failed), page.Outcome
				if cursor = page.Next; cursor == "" || outcome != notify.Sent {
					break
				}
			}

			experimental.LoggerFromContext(ctx).InfoContext(ctx, "announced shows",
				"movie_id", d.MovieID, "shows", len(d.ShowIDs), "sent", sent, "failed", failed,
				"email", outcome)
			return map[string]any{"movieId": d.MovieID, "email": outcome, "sent": sent,
				"failed": failed}, nil
		})
}
