package email_test

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/email"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
)

func message(lang string) notify.Message {
	return notify.Message{
		AlertID: "al-42", Monitor: "bank", Kind: "volume_spike", Severity: "high", Status: "firing",
		Summary: "Storing: 120 berichten in 10 min, €-teken en ümlaut", Link: "https://crisis.example.org/alerts/al-42",
		AckLink: "https://crisis.example.org/ack/abc.def", AckExpires: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
		Lang: lang, Recipient: "Anna de Vries", To: "anna@example.org", Step: 1,
		At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), IdempotencyKey: "0123456789abcdef0123456789abcdef",
	}
}

func TestSendOverSTARTTLSWithAuth(t *testing.T) {
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{Username: "crisisdesk", Password: "s3cret"})
	tests := []struct {
		lang                                   string
		wantSubject, wantAck, wantSev, wantFor string
	}{
		{"en", "[high] crisisdesk: Storing: 120 berichten in 10 min, €-teken en ümlaut", "Acknowledge: https://crisis.example.org/ack/abc.def", "Severity: high", "For Anna de Vries"},
		{"nl", "[hoog] crisisdesk: Storing: 120 berichten in 10 min, €-teken en ümlaut", "Bevestigen: https://crisis.example.org/ack/abc.def", "Ernst: hoog", "Voor Anna de Vries"},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			ml, err := email.New(email.Config{Addr: srv.Addr, Username: "crisisdesk", Password: "s3cret",
				From: "crisisdesk <alerts@example.org>", TLS: &tls.Config{RootCAs: srv.RootCAs}})
			if err != nil {
				t.Fatal(err)
			}
			if retryable, err := ml.Notify(t.Context(), message(tt.lang)); err != nil {
				t.Fatalf("Notify: retryable=%v err=%v", retryable, err)
			}
			mails := srv.Mails()
			if len(mails) != i+1 {
				t.Fatalf("server has %d mails, want %d", len(mails), i+1)
			}
			got := mails[i]
			if !got.TLS || got.AuthUser != "crisisdesk" || got.From != "alerts@example.org" || strings.Join(got.To, ",") != "anna@example.org" {
				t.Errorf("envelope: tls=%v auth=%q from=%q to=%v", got.TLS, got.AuthUser, got.From, got.To)
			}
			msg, err := mail.ReadMessage(strings.NewReader(string(got.Data)))
			if err != nil {
				t.Fatalf("read message: %v\n%s", err, got.Data)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subject != tt.wantSubject {
				t.Errorf("Subject = %q (%v), want %q", subject, err, tt.wantSubject)
			}
			for k, want := range map[string]string{
				"Message-Id":                "<0123456789abcdef0123456789abcdef@crisisdesk>",
				"References":                "<alert-al-42@crisisdesk>",
				"Content-Type":              `text/plain; charset="utf-8"`,
				"Content-Transfer-Encoding": "quoted-printable",
				"Content-Language":          tt.lang,
				"Date":                      "Fri, 20 Nov 2026 10:00:00 +0000",
			} {
				if v := msg.Header.Get(k); v != want {
					t.Errorf("%s = %q, want %q", k, v, want)
				}
			}
			body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
			if err != nil {
				t.Fatalf("body: %v", err)
			}
			for _, want := range []string{tt.wantAck, tt.wantSev, tt.wantFor, "Storing: 120 berichten", "https://crisis.example.org/alerts/al-42"} {
				if !strings.Contains(string(body), want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
		})
	}
}

func TestFailuresAreClassified(t *testing.T) {
	good := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{Username: "u", Password: "p"})
	noTLS := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{NoTLS: true})
	busy := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{RcptError: &smtp.SMTPError{Code: 450, Message: "mailbox busy"}})
	unknown := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{RcptError: &smtp.SMTPError{Code: 550, Message: "no such user"}})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	tests := []struct {
		name          string
		cfg           email.Config
		to            string
		wantRetryable bool
	}{
		{"wrong password", email.Config{Addr: good.Addr, Username: "u", Password: "wrong", TLS: &tls.Config{RootCAs: good.RootCAs}}, "a@example.org", false},
		{"untrusted certificate", email.Config{Addr: good.Addr, Username: "u", Password: "p"}, "a@example.org", false},
		{"server without STARTTLS", email.Config{Addr: noTLS.Addr}, "a@example.org", false},
		{"4xx on RCPT", email.Config{Addr: busy.Addr, TLS: &tls.Config{RootCAs: busy.RootCAs}}, "a@example.org", true},
		{"5xx on RCPT", email.Config{Addr: unknown.Addr, TLS: &tls.Config{RootCAs: unknown.RootCAs}}, "a@example.org", false},
		{"connection refused", email.Config{Addr: closedAddr}, "a@example.org", true},
		{"bad recipient address", email.Config{Addr: good.Addr}, "not an address", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.From = "alerts@example.org"
			ml, err := email.New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			m := message("en")
			m.To = tt.to
			retryable, err := ml.Notify(t.Context(), m)
			if err == nil {
				t.Fatal("Notify succeeded")
			}
			if retryable != tt.wantRetryable {
				t.Errorf("retryable = %v, want %v (err %v)", retryable, tt.wantRetryable, err)
			}
			if strings.Contains(err.Error(), "wrong") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
	if n := len(good.Mails()) + len(noTLS.Mails()) + len(busy.Mails()) + len(unknown.Mails()); n != 0 {
		t.Errorf("%d mails were accepted by failing servers", n)
	}
}

func TestCancelStopsASend(t *testing.T) {
	// A listener that accepts and never speaks: the client waits for the greeting until ctx ends.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ml, err := email.New(email.Config{Addr: l.Addr().String(), From: "alerts@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	retryable, err := ml.Notify(ctx, message("en"))
	if err == nil || !retryable {
		t.Fatalf("Notify = %v, %v; want a retryable error", retryable, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Notify took %v after its context ended", d)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []email.Config{{Addr: "no-port", From: "a@example.org"}, {Addr: "127.0.0.1:25", From: "not an address"}} {
		if _, err := email.New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}
