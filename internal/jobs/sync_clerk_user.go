package jobs

import (
	"context"
	"errors"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/user"
)

// UserUpserter stores users as Clerk describes them. It is implemented by
// user.Service.
type UserUpserter interface {
	// Upsert stores c unless a newer version of the user, or their
	// deletion, is stored already, and reports whether c is now stored. It
	// fails with user.ErrInvalid for a user without an id or updated_at.
	Upsert(ctx context.Context, c user.ClerkUser) (bool, error)
}

// NewSyncClerkUser registers the function sync-clerk-user: on
// clerk/user.created and clerk/user.updated it stores the user, unless a
// newer version of them, or their deletion, is stored already. Events may
// arrive late, twice or out of order; the stored user is always the newest.
func NewSyncClerkUser(c *Client, users UserUpserter) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "sync-clerk-user", Name: "Sync a Clerk user"},
		inngestgo.MultipleTriggers{
			inngestgo.EventTrigger(EventClerkUserCreated, nil),
			inngestgo.EventTrigger(EventClerkUserUpdated, nil),
		},
		func(ctx context.Context, in inngestgo.Input[ClerkUserData]) (any, error) {
			cu := in.Event.Data.toClerkUser()
			stored, err := step.Run(ctx, "upsert-user", func(ctx context.Context) (bool, error) {
				stored, err := users.Upsert(ctx, cu)
				if errors.Is(err, user.ErrInvalid) {
					return false, inngestgo.NoRetryError(err)
				}
				return stored, err
			})
			if err != nil {
				return nil, err
			}

			experimental.LoggerFromContext(ctx).InfoContext(ctx, "synced clerk user",
				"event", in.Event.Name, "user_id", cu.ID, "stored", stored)
			return map[string]any{"userId": cu.ID, "stored": stored}, nil
		})
}
