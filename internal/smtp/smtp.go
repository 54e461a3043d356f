// Package smtp sends the e-mail of package notify through an SMTP server,
// with go-mail.
package smtp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/marquee-hq/marquee/internal/notify"
)

// Options configure a [Mailer].
type Options struct {
	Host     string
	Port     int // 465 means TLS from the start; any other port STARTTLS
	Username string
	Password string
	From     string // the sender, such as "Marquee <tickets@example.com>"

	// Timeout bounds connecting and each command; 0 means 15 seconds.
	Timeout time.Duration
}

// Mailer sends messages through one SMTP server. It implements
// notify.Mailer.
type Mailer struct {
	client *mail.Client
	from   string
}

// New returns a Mailer for the server o names. Nothing is dialled yet.
//
// STARTTLS is required, except on a loopback host such as a local Mailpit
// or a test's SMTP sink, where it is used when offered. With a Username,
// the client logs in with the best mechanism the server offers.
func New(o Options) (*Mailer, error) {
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	opts := []mail.Option{mail.WithPort(o.Port), mail.WithTimeout(o.Timeout)}
	switch {
	case o.Port == 465:
		opts = append(opts, mail.WithSSL())
	case isLoopback(o.Host):
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if o.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(o.Username), mail.WithPassword(o.Password))
	}

	c, err := mail.NewClient(o.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client for %s: %w", o.Host, err)
	}
	return &Mailer{client: c, from: o.From}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Send sends msgs over one connection. It returns one error per message,
// nil for a message the server accepted, so that one bad address does not
// stop the others; the error is a notify.ErrRejected unless the failure may
// pass. It fails as a whole, sending nothing, when the server cannot be
// reached or refuses the connection.
func (m *Mailer) Send(ctx context.Context, msgs []notify.Message) ([]error, error) {
	errs := make([]error, len(msgs))
	built := make([]*mail.Msg, 0, len(msgs))
	index := make([]int, 0, len(msgs))
	for i, msg := range msgs {
		gm, err := m.build(msg)
		if err != nil {
			errs[i] = fmt.Errorf("%w: %w", notify.ErrRejected, err)
			continue
		}
		built, index = append(built, gm), append(index, i)
	}
	if len(built) == 0 {
		return errs, nil
	}

	client, err := m.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to the smtp server: %w", err)
	}
	// Each message's failure is kept on the message; the joined error
	// adds nothing.
	_ = m.client.SendWithSMTPClient(client, built...)
	closeErr := m.client.CloseWithSMTPClient(client)

	for j, gm := range built {
		errs[index[j]] = sendError(gm)
	}
	if closeErr != nil && allFailed(errs) {
		return nil, fmt.Errorf("smtp session: %w", closeErr)
	}
	return errs, nil
}

func (m *Mailer) build(msg notify.Message) (*mail.Msg, error) {
	gm := mail.NewMsg()
	if err := gm.From(m.from); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := gm.To(msg.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	gm.Subject(msg.Subject)
	gm.SetMessageID()
	gm.SetDate()
	gm.SetBodyString(mail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		gm.AddAlternativeString(mail.TypeTextHTML, msg.HTML)
	}
	return gm, nil
}

// sendError is the failure go-mail recorded for gm, marked permanent
// unless the server said to try again later.
func sendError(gm *mail.Msg) error {
	if !gm.HasSendError() {
		return nil
	}
	err := gm.SendError()
	var se *mail.SendError
	if errors.As(err, &se) && se.IsTemp() {
		return err
	}
	return fmt.Errorf("%w: %w", notify.ErrRejected, err)
}

func allFailed(errs []error) bool {
	for _, err := range errs {
		if err == nil {
			return false
		}
	}
	return true
}
