// Package email is the e-mail integration: SMTP submission with STARTTLS (required unless switched off
// for a relay on loopback) and AUTH PLAIN, one plain-text UTF-8 message per notification. Messages of
// one alert share a References header, so mail clients thread an alert's pages and updates together.
package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/notify"
)

// Config is one SMTP submission server.
type Config struct {
	Addr     string // host:port, usually port 587
	Username string // empty: no AUTH
	Password string
	From     string // the sender address, e.g. "crisisdesk <crisisdesk@example.org>"
	// NoTLS sends without STARTTLS. It exists for a local relay on loopback; credentials are then
	// refused by net/smtp unless the server is localhost.
	NoTLS bool
	// TLS is the client TLS configuration (RootCAs for a private CA); ServerName defaults to the host.
	TLS       *tls.Config
	HelloName string         // the EHLO name; "localhost" when empty
	Location  *time.Location // the zone dates are shown in; UTC when nil
}

// Mailer sends notifications as e-mail.
type Mailer struct {
	cfg  Config
	host string
	from *mail.Address
}

// New checks cfg and returns the integration.
func New(cfg Config) (*Mailer, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("email: address %q: %w", cfg.Addr, err)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email: from %q: %w", cfg.From, err)
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return &Mailer{cfg: cfg, host: host, from: from}, nil
}

// Notify sends m to m.To. SMTP 4xx replies and network failures are retryable; 5xx replies (unknown
// mailbox, failed authentication), a server without STARTTLS and a certificate that does not verify
// are not, since they need a person to fix them.
func (ml *Mailer) Notify(ctx context.Context, m notify.Message) (bool, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return false, fmt.Errorf("email: recipient %q: %w", m.Recipient, err)
	}
	msg, err := ml.compose(m, to)
	if err != nil {
		return false, err
	}
	retryable, err := ml.send(ctx, to.Address, msg)
	if err != nil {
		return retryable, fmt.Errorf("email: via %s: %w", ml.cfg.Addr, err)
	}
	return false, nil
}

func (ml *Mailer) send(ctx context.Context, to string, msg []byte) (retryable bool, err error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", ml.cfg.Addr)
	if err != nil {
		return true, err
	}
	// net/smtp takes no context: a deadline bounds each step, and cancelling ctx closes the connection,
	// which makes the step in progress fail at once.
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(time.Minute))
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, ml.host)
	if err != nil {
		conn.Close()
		return classify(err)
	}
	defer c.Close()
	if err := c.Hello(ml.cfg.HelloName); err != nil {
		return classify(err)
	}
	if !ml.cfg.NoTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return false, errors.New("the server does not offer STARTTLS")
		}
		tc := &tls.Config{ServerName: ml.host, MinVersion: tls.VersionTLS12}
		if ml.cfg.TLS != nil {
			tc = ml.cfg.TLS.Clone()
			if tc.ServerName == "" {
				tc.ServerName = ml.host
			}
		}
		if err := c.StartTLS(tc); err != nil {
			return classify(err)
		}
	}
	if ml.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", ml.cfg.Username, ml.cfg.Password, ml.host)); err != nil {
			return classify(err)
		}
	}
	if err := c.Mail(ml.from.Address); err != nil {
		return classify(err)
	}
	if err := c.Rcpt(to); err != nil {
		return classify(err)
	}
	w, err := c.Data()
	if err != nil {
		return classify(err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify(err)
	}
	if err := w.Close(); err != nil {
		return classify(err)
	}
	// The server has accepted the message once DATA is closed; a failing QUIT does not undo that.
	c.Quit()
	return false, nil
}

// classify sorts an SMTP failure: a reply code 4xx is transient and 5xx permanent (RFC 5321 4.2.1);
// a certificate that does not verify is permanent; other network errors are transient.
func classify(err error) (bool, error) {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 400 && te.Code < 500, err
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return false, err
	}
	return true, err
}

// compose writes the message: headers, then a quoted-printable UTF-8 text body.
func (ml *Mailer) compose(m notify.Message, to *mail.Address) ([]byte, error) {
	r := notify.Render(m, ml.cfg.Location)
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", ml.from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", noNewlines(r.Subject)))
	header("Date", m.At.In(ml.cfg.Location).Format(time.RFC1123Z))
	// The Message-ID is the idempotency key: a redelivery after a crash has the same one, and mail
	// systems that deduplicate by Message-ID drop it.
	header("Message-ID", "<"+m.IdempotencyKey+"@crisisdesk>")
	thread := "<alert-" + safeID(m.AlertID) + "@crisisdesk>"
	if m.InReplyTo != "" {
		// An update or a resolution replies to the first page the recipient got, by its Message-ID.
		page := "<" + safeID(m.InReplyTo) + "@crisisdesk>"
		header("References", thread+" "+page)
		header("In-Reply-To", page)
	} else {
		header("References", thread)
		header("In-Reply-To", thread)
	}
	header("X-Crisisdesk-Alert", safeID(m.AlertID))
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Content-Language", map[bool]string{true: "nl", false: "en"}[m.Lang == "nl"])
	b.WriteString("\r\n")

	var body strings.Builder
	body.WriteString(r.Title + "\n\n" + r.Summary + "\n\n")
	for _, f := range r.Facts {
		body.WriteString(f[0] + ": " + f[1] + "\n")
	}
	if r.ForLine != "" {
		body.WriteString(r.ForLine + "\n")
	}
	body.WriteString("\n")
	if m.AckLink != "" {
		body.WriteString(r.AckLabel + ": " + m.AckLink + "\n")
	}
	if m.Link != "" {
		body.WriteString(r.OpenLabel + ": " + m.Link + "\n")
	}
	if r.AckNote != "" {
		body.WriteString("\n" + r.AckNote + "\n")
	}
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body.String(), "\n", "\r\n"))); err != nil {
		return nil, fmt.Errorf("email: encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("email: encode body: %w", err)
	}
	return b.Bytes(), nil
}

func noNewlines(s string) string { return strings.Join(strings.Fields(s), " ") }

// safeID keeps an alert id usable inside a header: letters, digits and a few marks.
func safeID(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
}
