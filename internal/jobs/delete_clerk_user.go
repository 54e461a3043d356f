package jobs

import (
	"context"
	"errors"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/user"
)

// UserDeleter removes users deleted in Clerk. It is implemented by
// user.Service.
type UserDeleter interface {
	// Delete removes the user and their favourites and cancels their held
	// bookings; deleting twice is not an error. It fails with
	// user.ErrInvalid for an empty id.
	Delete(ctx context.Context, id string) (user.Deletion, error)
}

// NewDeleteClerkUser registers the function delete-clerk-user: on
// clerk/user.deleted it removes the user and their favourites and cancels
// their held bookings, so the seats are free at once. Paid bookings stay.
func NewDeleteClerkUser(c *Client, users UserDeleter) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "delete-clerk-user", Name: "Delete a Clerk user"},
		inngestgo.EventTrigger(EventClerkUserDeleted, nil),
		func(ctx context.Context, in inngestgo.Input[ClerkDeletedData]) (any, error) {
			id := in.Event.Data.ID
			d, err := step.Run(ctx, "delete-user", func(ctx context.Context) (user.Deletion, error) {
				d, err := users.Delete(ctx, id)
				if errors.Is(err, user.ErrInvalid) {
					return d, inngestgo.NoRetryError(err)
				}
				return d, err
			})
			if err != nil {
				return nil, err
			}

			experimental.LoggerFromContext(ctx).InfoContext(ctx, "deleted clerk user", "user_id", id,
				"cancelled_bookings", d.CancelledBookings, "favorites", d.Favorites)
			return map[string]any{"userId": id, "cancelledBookings": d.CancelledBookings}, nil
		})
}
