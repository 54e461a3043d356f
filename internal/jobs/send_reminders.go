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

// ReminderSchedule is when send-reminders runs: every ten minutes. Any
// cadence shorter than REMINDER_WINDOW reaches every booking in time.
const ReminderSchedule = "*/10 * * * *"

// reminderBatch is how many bookings one step reminds.
const reminderBatch = 50

// ReminderNotices finds and sends show reminders. It is implemented by
// notify.Service.
type ReminderNotices interface {
	// DueReminders returns the paid bookings whose show starts within the
	// reminder window.
	DueReminders(ctx context.Context) ([]string, error)
	// Remind e-mails the buyer of a paid booking, once per booking.
	Remind(ctx context.Context, bookingID string) (notify.Outcome, error)
}

// RemindersData is the data of reminders/requested, which has none.
type RemindersData struct{}

// NewSendReminders registers the function send-reminders: on
// [ReminderSchedule], or when reminders/requested is sent, it e-mails the
// buyer of every paid booking whose show starts within REMINDER_WINDOW.
// Each booking is reminded once, however often the function runs: the
// reminder is recorded under the booking's id before it is sent.
func NewSendReminders(c *Client, notices ReminderNotices) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "send-reminders", Name: "Remind buyers of their shows"},
		inngestgo.MultipleTriggers{
			inngestgo.CronTrigger(ReminderSchedule),
			inngestgo.EventTrigger(EventRemindersRequested, nil),
		},
		func(ctx context.Context, in inngestgo.Input[RemindersData]) (any, error) {
			due, err := step.Run(ctx, "find-due", func(ctx context.Context) ([]string, error) {
				return notices.DueReminders(ctx)
			})
			if err != nil {
				return nil, err
			}

			counts := map[notify.Outcome]int{}
			for start := 0; start < len(due); start += reminderBatch {
				batch := due[start:min(start+reminderBatch, len(due))]
				got, err := step.Run(ctx, fmt.Sprintf("remind-%d", start/reminderBatch),
					func(ctx context.Context) (map[notify.Outcome]int, error) {
						return remindAll(ctx, notices, batch)
					})
				if err != nil {
					return nil, err
				}
				for out, n := range got {
					counts[out] += n
				}
			}

			experimental.LoggerFromContext(ctx).InfoContext(ctx, "sent reminders",
				"due", len(due), "outcomes", counts)
			return map[string]any{"due": len(due), "outcomes": counts}, nil
		})
}

// remindAll reminds every booking of batch and counts the outcomes. A
// message the server rejects is counted; any other failure fails the batch
// after the others were tried, and its retry reminds only those not
// reminded yet.
func remindAll(ctx context.Context, notices ReminderNotices,
	batch []string) (map[notify.Outcome]int, error) {
	counts := map[notify.Outcome]int{}
	var errs []error
	for _, id := range batch {
		out, err := notices.Remind(ctx, id)
		switch {
		case errors.Is(err, notify.ErrRejected):
			counts["rejected"]++
		case err != nil:
			errs = append(errs, err)
		default:
			counts[out]++
		}
	}
	return counts, errors.Join(errs...)
}
