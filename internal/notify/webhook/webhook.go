// Package webhook is the generic JSON webhook integration. Each request is signed with HMAC-SHA256 over
// timestamp + "." + body, sent in the X-Crisisdesk-Signature header as t=<unix seconds>,v1=<hex>, so a
// receiver can check that crisisdesk sent it and refuse a replay of an old request. Receivers call
// Verify; docs/WEBHOOKS.md shows how, in Go and in a shell.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
)

// Header names.
const (
	SignatureHeader   = "X-Crisisdesk-Signature"
	IdempotencyHeader = "Idempotency-Key"
)

// DefaultTolerance is how old (or how far ahead) a signed timestamp may be before Verify refuses it.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	ErrNoSignature = errors.New("webhook: no signature header")
	ErrMalformed   = errors.New("webhook: malformed signature header")
	ErrTimestamp   = errors.New("webhook: timestamp outside the tolerance")
	ErrSignature   = errors.New("webhook: signature does not match")
)

// Config is one webhook endpoint. URL and Secret are secrets: only the URL's host is ever logged.
type Config struct {
	URL    string
	Secret []byte
}

// Webhook posts a JSON document per notification.
type Webhook struct {
	cfg    Config
	client *http.Client
	clock  clock.Clock
}

// New returns the integration. The clock stamps signatures. Integrations do not log: the outbox
// worker logs each attempt once, with the error, which names only the host.
func New(cfg Config, client *http.Client, c clock.Clock) (*Webhook, error) {
	if !strings.HasPrefix(cfg.URL, "https://") && !strings.HasPrefix(cfg.URL, "http://") {
		return nil, fmt.Errorf("webhook: url of %s: want http:// or https://", notify.Host(cfg.URL))
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("webhook: the secret must be at least 16 bytes")
	}
	if client == nil {
		client = http.DefaultClient
	}
	if c == nil {
		return nil, errors.New("webhook: a clock is required")
	}
	return &Webhook{cfg: cfg, client: client, clock: c}, nil
}

// Payload is the JSON body receivers get. Its fields are a contract; new ones may be added.
type Payload struct {
	Version        string    `json:"version"` // "1"
	IdempotencyKey string    `json:"idempotency_key"`
	AlertID        string    `json:"alert_id"`
	Status         string    `json:"status"`
	Monitor        string    `json:"monitor"`
	Kind           string    `json:"kind"`
	Severity       string    `json:"severity"`
	Summary        string    `json:"summary"`
	Lang           string    `json:"lang"`
	Link           string    `json:"link"`
	AckLink        string    `json:"ack_link,omitempty"`
	Recipient      string    `json:"recipient,omitempty"`
	To             string    `json:"to,omitempty"`
	Step           int       `json:"step"`
	At             time.Time `json:"at"`
	Title          string    `json:"title"` // the rendered title in Lang
	// Event is page, update or resolved. An update and a resolution carry the same alert_id as the
	// page, and in_reply_to, the idempotency key of the first page they follow.
	Event     string `json:"event"`
	InReplyTo string `json:"in_reply_to,omitempty"`
	// UpdateSeq numbers the updates of an alert, 1, 2, … in the order they were sent.
	UpdateSeq *int `json:"update_seq,omitempty"`
}

// Events.
const (
	EventPage     = "page"
	EventUpdate   = "update"
	EventResolved = "resolved"
)

// event names what a message is by its status.
func event(status string) string {
	switch status {
	case "updated":
		return EventUpdate
	case "resolved":
		return EventResolved
	}
	return EventPage
}

// Notify posts m, signed, with its idempotency key.
func (w *Webhook) Notify(ctx context.Context, m notify.Message) (bool, error) {
	r := notify.Render(m, nil)
	p := Payload{
		Version: "1", IdempotencyKey: m.IdempotencyKey, AlertID: m.AlertID, Status: m.Status, Monitor: m.Monitor,
		Kind: m.Kind, Severity: m.Severity, Summary: m.Summary, Lang: m.Lang, Link: m.Link, AckLink: m.AckLink,
		Recipient: m.Recipient, To: m.To, Step: m.Step, At: m.At, Title: r.Title,
		Event: event(m.Status), InReplyTo: m.InReplyTo,
	}
	if p.Event == EventUpdate {
		seq := m.Update
		p.UpdateSeq = &seq
	}
	body, err := json.Marshal(p)
	if err != nil {
		return false, fmt.Errorf("webhook: encode: %w", err)
	}
	h := http.Header{}
	h.Set(SignatureHeader, Sign(w.cfg.Secret, w.clock.Now(), body))
	h.Set(IdempotencyHeader, m.IdempotencyKey)
	return notify.PostJSON(ctx, w.client, w.cfg.URL, body, h)
}

// Sign returns the signature header value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a signature header against body: the timestamp must lie within tolerance of now, and
// one of the v1 signatures (several are allowed while a secret is rotated) must be the HMAC-SHA256 of
// timestamp + "." + body under secret. Receivers should also drop a repeated Idempotency-Key, since a
// replay within the tolerance verifies.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if strings.TrimSpace(header) == "" {
		return ErrNoSignature
	}
	ts, sigs, err := parseHeader(header)
	if err != nil {
		return err
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", ErrMalformed, ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed %v from now", ErrTimestamp, d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrSignature
}

// parseHeader reads t=…,v1=…[,v1=…]. Unknown keys are skipped, so a later scheme can be added
// beside v1 without breaking receivers.
func parseHeader(h string) (ts string, sigs [][]byte, err error) {
	for part := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, fmt.Errorf("%w: %q is not key=value", ErrMalformed, part)
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, fmt.Errorf("%w: two timestamps", ErrMalformed)
			}
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size {
				return "", nil, fmt.Errorf("%w: v1 is not a hex SHA-256", ErrMalformed)
			}
			sigs = append(sigs, b)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return "", nil, fmt.Errorf("%w: want t=<unix seconds>,v1=<hex>", ErrMalformed)
	}
	return ts, sigs, nil
}
