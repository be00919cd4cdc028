// Package notify owns delivering alert notifications: the Message every channel renders, in Dutch and
// English (messages.go), the Integration interface that each channel implements in its own subpackage
// (email, slack, teams, webhook), the retry stage that owns exponential backoff with jitter, and the
// outbox worker that sends persisted notifications exactly once in effect.
//
// As in Alertmanager the path is a pipeline of small stages: the outbox (what must be sent, persisted
// before anything is sent), the retry stage (when to try again), the integration (one attempt), and the
// record of the result. An integration only reports (retryable, err); it never sleeps or retries.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Message is one notification to one recipient on one channel. It is stored in the outbox as JSON, so
// its fields are the contract between the escalation engine, which writes it, and the integrations.
type Message struct {
	AlertID  string `json:"alert_id"`
	Monitor  string `json:"monitor"`
	Kind     string `json:"kind"`
	Severity string `json:"severity"` // low, medium, high or critical
	Status   string `json:"status"`   // firing, updated or resolved
	Summary  string `json:"summary"`  // in Lang
	Link     string `json:"link"`     // the alert in the web app
	AckLink  string `json:"ack_link,omitempty"`
	// AckExpires is when AckLink stops working.
	AckExpires time.Time `json:"ack_expires,omitzero"`
	Lang       string    `json:"lang"` // nl or en
	// Recipient is the person's name; To is their address on the channel: an e-mail address, a chat
	// handle to mention, or empty for a channel that goes to a shared room.
	Recipient string    `json:"recipient"`
	To        string    `json:"to,omitempty"`
	Step      int       `json:"step"`
	At        time.Time `json:"at"` // when the step fired
	// IdempotencyKey is the same for every attempt at this notification, so a receiver can drop a
	// redelivery (see docs/WEBHOOKS.md). The worker sets it from the outbox key.
	IdempotencyKey string `json:"idempotency_key"`
	// InReplyTo is, on an update or a resolution notice, the idempotency key of the first page it
	// follows, so that e-mail threads it there and a webhook receiver can find the page.
	InReplyTo string `json:"in_reply_to,omitempty"`
	// Update numbers the update notices of an alert: 1, 2, … in the order they were sent.
	Update int `json:"update,omitempty"`
}

// Integration sends one message once. It reports whether a failure is worth retrying: a timeout, a
// 5xx or a 429 is; a 4xx or a refused address is not. Retrying is the retry stage's job, not the
// integration's.
type Integration interface {
	Notify(ctx context.Context, m Message) (retryable bool, err error)
}

// IntegrationFunc adapts a function to Integration.
type IntegrationFunc func(ctx context.Context, m Message) (bool, error)

// Notify calls f.
func (f IntegrationFunc) Notify(ctx context.Context, m Message) (bool, error) { return f(ctx, m) }

// IdempotencyKey is the key of the outbox row (alert, step, recipient, channel) as 32 hex digits. It
// is stable across attempts and restarts and reveals nothing about the recipient.
func IdempotencyKey(alertID string, step int, recipient, channel string) string {
	h := sha256.New()
	for _, s := range []string{alertID, strconv.Itoa(step), recipient, channel} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// RetryAfterError is a failure whose receiver said when to try again (HTTP Retry-After). The retry
// stage waits at least that long.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// HTTPError is a non-2xx answer from a webhook receiver. It names only the host, since a webhook URL
// is a secret.
type HTTPError struct {
	Host       string
	Status     int
	Body       string // the start of the response body, which often says why (Slack: "invalid_payload")
	retryAfter time.Duration
}

func (e *HTTPError) Error() string {
	if e.Body != "" {
		return fmt.Sprintf("notify: %s answered %d: %s", e.Host, e.Status, e.Body)
	}
	return fmt.Sprintf("notify: %s answered %d", e.Host, e.Status)
}

// RetryAfter is how long the receiver asked to wait, or 0.
func (e *HTTPError) RetryAfter() time.Duration { return e.retryAfter }

// RetryableStatus reports whether an HTTP status is worth retrying: 408, 425, 429 and every 5xx.
// Other 4xx mean the request or the configuration is wrong, and sending it again will not help.
func RetryableStatus(code int) bool {
	return code == 408 || code == 425 || code == 429 || code >= 500
}

// Host is the host of a URL, which is all that may be logged of a webhook URL: its path and query
// carry the secret.
func Host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid url)"
	}
	return u.Host
}

// RedactURLError replaces a *url.Error's URL (which net/http puts in every transport error) by its
// host, so that a webhook secret cannot reach a log or the outbox's last_error.
func RedactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, Host(ue.URL), ue.Err)
	}
	return err
}
