package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func TestDelay(t *testing.T) {
	b := Backoff{Initial: 2 * time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.5, MaxAttempts: 10}
	tests := []struct {
		name       string
		random     float64
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{"first retry, no jitter drawn", 0, 1, 0, 2 * time.Second},
		{"doubles", 0, 3, 0, 8 * time.Second},
		{"capped at max", 0, 10, 0, time.Minute},
		{"jitter takes up to half", 0.5, 3, 0, 6 * time.Second},
		{"jitter on the cap", 0.5, 10, 0, 45 * time.Second},
		{"retry-after wins when longer", 0, 1, 45 * time.Second, 45 * time.Second},
		{"backoff wins when retry-after is shorter", 0, 4, time.Second, 16 * time.Second},
		{"attempt 0 counts as the first", 0, 0, 0, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRetry(b, clock.NewSim(t0), func() float64 { return tt.random })
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Delay(tt.attempt, tt.retryAfter); got != tt.want {
				t.Errorf("Delay(%d, %v) = %v, want %v", tt.attempt, tt.retryAfter, got, tt.want)
			}
		})
	}
}

func TestBackoffValidation(t *testing.T) {
	bad := []Backoff{
		{Initial: 0, Max: time.Second, Multiplier: 2, MaxAttempts: 1},
		{Initial: time.Minute, Max: time.Second, Multiplier: 2, MaxAttempts: 1},
		{Initial: time.Second, Max: time.Minute, Multiplier: 0.5, MaxAttempts: 1},
		{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 1.5, MaxAttempts: 1},
		{Initial: time.Second, Max: time.Minute, Multiplier: 2, MaxAttempts: 0},
	}
	for _, b := range bad {
		if _, err := NewRetry(b, clock.NewSim(t0), func() float64 { return 0 }); err == nil {
			t.Errorf("NewRetry(%+v) accepted", b)
		}
	}
	if _, err := NewRetry(DefaultBackoff(), clock.NewSim(t0), func() float64 { return 0 }); err != nil {
		t.Errorf("DefaultBackoff: %v", err)
	}
}

func TestAttemptOutcomes(t *testing.T) {
	b := Backoff{Initial: 2 * time.Second, Max: time.Minute, Multiplier: 2, MaxAttempts: 3}
	r, err := NewRetry(b, clock.NewSim(t0), func() float64 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	errBoom := errors.New("boom")
	tests := []struct {
		name      string
		retryable bool
		err       error
		attempt   int
		want      Outcome
	}{
		{"delivered", false, nil, 1, Outcome{State: store.NotificationDelivered, NextAt: t0}},
		{"retryable", true, errBoom, 1, Outcome{State: store.NotificationFailed, NextAt: t0.Add(2 * time.Second), Err: errBoom}},
		{"retryable again", true, errBoom, 2, Outcome{State: store.NotificationFailed, NextAt: t0.Add(4 * time.Second), Err: errBoom}},
		{"retryable on the last attempt is dead", true, errBoom, 3, Outcome{State: store.NotificationDead, NextAt: t0, Err: errBoom}},
		{"permanent is dead at once", false, errBoom, 1, Outcome{State: store.NotificationDead, NextAt: t0, Err: errBoom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := IntegrationFunc(func(context.Context, Message) (bool, error) { return tt.retryable, tt.err })
			if got := r.Attempt(t.Context(), in, Message{}, tt.attempt); got != tt.want {
				t.Errorf("Attempt = %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("retry-after", func(t *testing.T) {
		he := &HTTPError{Host: "h", Status: 429, retryAfter: 40 * time.Second}
		in := IntegrationFunc(func(context.Context, Message) (bool, error) { return true, he })
		if got := r.Attempt(t.Context(), in, Message{}, 1); got.State != store.NotificationFailed || !got.NextAt.Equal(t0.Add(40*time.Second)) {
			t.Errorf("Attempt = %+v, want failed until +40s", got)
		}
	})
}

func TestIdempotencyKeyIsStableAndDistinct(t *testing.T) {
	k := IdempotencyKey("a", 1, "anna", "email")
	if len(k) != 32 || k != IdempotencyKey("a", 1, "anna", "email") {
		t.Fatalf("key %q is not stable 32 hex digits", k)
	}
	for _, other := range []string{
		IdempotencyKey("a", 2, "anna", "email"), IdempotencyKey("a", 1, "bram", "email"),
		IdempotencyKey("a", 1, "anna", "slack"), IdempotencyKey("b", 1, "anna", "email"),
		IdempotencyKey("a1", 1, "nna", "email"),
	} {
		if other == k {
			t.Errorf("two keys collide: %s", k)
		}
	}
}

func TestRenderLanguages(t *testing.T) {
	m := Message{Severity: "medium", Status: "resolved", Summary: "  a\n  b  ", Monitor: "m", Kind: "k", Step: 0,
		AckLink: "https://x/ack/t", AckExpires: time.Date(2026, 3, 5, 8, 30, 0, 0, time.UTC), Recipient: "Anna"}
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	tests := []struct {
		lang                           string
		subject, title, ackNote, forLn string
	}{
		{"en", "Resolved: [medium] crisisdesk: a b", "Resolved: crisisdesk alert: medium",
			"The acknowledge link works once, without logging in, until 5 March 2026 09:30 CET.", "For Anna"},
		{"nl", "Opgelost: [middel] crisisdesk: a b", "Opgelost: crisisdesk-melding: middel",
			"De bevestigingslink werkt één keer, zonder in te loggen, tot 5 maart 2026 09:30 CET.", "Voor Anna"},
		{"", "Resolved: [medium] crisisdesk: a b", "Resolved: crisisdesk alert: medium",
			"The acknowledge link works once, without logging in, until 5 March 2026 09:30 CET.", "For Anna"},
	}
	for _, tt := range tests {
		m.Lang = tt.lang
		r := Render(m, ams)
		if r.Subject != tt.subject || r.Title != tt.title || r.AckNote != tt.ackNote || r.ForLine != tt.forLn {
			t.Errorf("Render(%q) = %+v", tt.lang, r)
		}
	}
}
