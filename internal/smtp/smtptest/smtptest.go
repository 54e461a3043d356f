// Package smtptest runs an SMTP server in the test's process that keeps
// every message it accepts, for tests that send real e-mail. It speaks real
// SMTP (with github.com/emersion/go-smtp), so the client under test goes
// through the whole conversation: EHLO, MAIL, RCPT, DATA, QUIT.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is a message the sink accepted, decoded.
type Message struct {
	From    string
	To      []string
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
}

// Sink is a running SMTP server that keeps what it receives.
type Sink struct {
	Host string // 127.0.0.1
	Port int

	mu       sync.Mutex
	messages []Message
	reject   map[string]bool
}

// Start starts a Sink on a free loopback port, stopped when the test ends.
func Start(t testing.TB) *Sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Sink{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, reject: map[string]bool{}}

	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{sink: s}, nil
	}))
	srv.Domain = "smtptest.local"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Addr returns host:port.
func (s *Sink) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Reject makes the sink refuse mail to addr for good (550), as a server
// does for an unknown mailbox.
func (s *Sink) Reject(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject[strings.ToLower(addr)] = true
}

// Messages returns the messages accepted so far, oldest first.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// To returns the messages accepted for addr.
func (s *Sink) To(addr string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

// WaitFor waits until cond holds for the messages accepted, checking every
// 50 milliseconds, and fails the test after timeout.
func (s *Sink) WaitFor(t testing.TB, timeout time.Duration, what string,
	cond func([]Message) bool) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if cond(msgs) {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtptest: no %s within %v; %d messages received: %v",
				what, timeout, len(msgs), subjects(msgs))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func subjects(msgs []Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = strings.Join(m.To, ",") + ": " + m.Subject
	}
	return out
}

// session is one SMTP conversation.
type session struct {
	sink *Sink
	from string
	to   []string
}

func (c *session) Reset()        { c.from, c.to = "", nil }
func (c *session) Logout() error { return nil }

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	c.sink.mu.Lock()
	rejected := c.sink.reject[strings.ToLower(to)]
	c.sink.mu.Unlock()
	if rejected {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "no such mailbox here"}
	}
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := decode(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "cannot read message: " + err.Error()}
	}
	m.From, m.To = c.from, c.to

	c.sink.mu.Lock()
	c.sink.messages = append(c.sink.messages, m)
	c.sink.mu.Unlock()
	return nil
}

// decode reads the subject and the text and HTML parts of a message.
func decode(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	m := Message{Subject: subject}
	err = readPart(&m, msg.Header.Get("Content-Type"),
		msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return m, err
}

func readPart(m *Message, contentType, encoding string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			ct, enc := p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding")
			err = readPart(m, ct, enc, p)
			if err != nil {
				return err
			}
		}
	}

	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	}
	return nil
}
