package smtp_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/marquee-hq/marquee/internal/notify"
	"github.com/marquee-hq/marquee/internal/smtp"
	"github.com/marquee-hq/marquee/internal/smtp/smtptest"
)

var _ notify.Mailer = (*smtp.Mailer)(nil)

func newMailer(t testing.TB, sink *smtptest.Sink) *smtp.Mailer {
	t.Helper()
	m, err := smtp.New(smtp.Options{Host: sink.Host, Port: sink.Port,
		From: "Marquee Tickets <tickets@marquee.test>"})
	if err != nil {
		t.Fatalf("smtp.New: %v", err)
	}
	return m
}

func TestSendKeepsGoingPastBadAddresses(t *testing.T) {
	t.Parallel()
	sink := smtptest.Start(t)
	sink.Reject("gone@marquee.test")
	msgs := []notify.Message{
		{To: "ada@marquee.test", Subject: "Tickets for Änne's film", Text: "plain words",
			HTML: "<p>html words</p>"},
		{To: "gone@marquee.test", Subject: "to nobody", Text: "x"},
		{To: "not an address", Subject: "malformed", Text: "x"},
		{To: "bo@marquee.test", Subject: "second", Text: "more words"},
	}

	errs, err := newMailer(t, sink).Send(context.Background(), msgs)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	for i, want := range []bool{false, true, true, false} {
		if got := errs[i] != nil; got != want || (got && !errors.Is(errs[i], notify.ErrRejected)) {
			t.Errorf("message %d (%s): error %v, want failed=%v with ErrRejected", i, msgs[i].To,
				errs[i], want)
		}
	}

	got := sink.Messages()
	if len(got) != 2 {
		t.Fatalf("sink received %d messages, want 2", len(got))
	}
	ada := got[0]
	if ada.From != "tickets@marquee.test" || ada.Subject != msgs[0].Subject ||
		!strings.Contains(ada.Text, "plain words") || !strings.Contains(ada.HTML, "<p>html words</p>") {
		t.Errorf("received %+v, want the first message with both parts", ada)
	}
}

func TestSendFailsWhenServerIsDown(t *testing.T) {
	t.Parallel()
	m, err := smtp.New(smtp.Options{Host: "127.0.0.1", Port: 1, From: "tickets@marquee.test"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Send(context.Background(), []notify.Message{{To: "ada@marquee.test", Text: "x"}})
	if err == nil || errors.Is(err, notify.ErrRejected) {
		t.Errorf("Send to a closed port = %v, want a failure worth retrying", err)
	}
}
