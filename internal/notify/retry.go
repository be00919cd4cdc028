package notify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Backoff configures the retry stage: the delay before attempt n+1 is Initial·Multiplier^(n-1),
// capped at Max, less up to Jitter of it at random, and never less than a receiver's Retry-After.
// After MaxAttempts attempts a notification is dead.
type Backoff struct {
	Initial     time.Duration
	Max         time.Duration
	Multiplier  float64
	Jitter      float64 // 0 to 1: the share of the delay that is random
	MaxAttempts int
}

// DefaultBackoff retries a page quickly at first, since minutes matter, and keeps trying for about
// half an hour before it gives up: 2s, 4s, 8s … capped at 5 min, ten attempts.
func DefaultBackoff() Backoff {
	return Backoff{Initial: 2 * time.Second, Max: 5 * time.Minute, Multiplier: 2, Jitter: 0.2, MaxAttempts: 10}
}

func (b Backoff) validate() error {
	switch {
	case b.Initial <= 0 || b.Max < b.Initial:
		return fmt.Errorf("notify: backoff: want 0 < initial (%v) <= max (%v)", b.Initial, b.Max)
	case b.Multiplier < 1:
		return fmt.Errorf("notify: backoff: multiplier %v is below 1", b.Multiplier)
	case b.Jitter < 0 || b.Jitter > 1:
		return fmt.Errorf("notify: backoff: jitter %v is outside 0..1", b.Jitter)
	case b.MaxAttempts < 1:
		return fmt.Errorf("notify: backoff: max attempts %d is below 1", b.MaxAttempts)
	}
	return nil
}

// Retry is the one stage that decides about retries. It makes one attempt through an integration and
// turns the outcome into the outbox's next state: delivered, failed until a time, or dead. It never
// sleeps: the outbox holds the row until its time comes, so a wait survives a restart.
type Retry struct {
	backoff Backoff
	clock   clock.Clock
	random  func() float64 // in [0, 1); injected so tests know the jitter
}

// NewRetry returns the retry stage. random returns numbers in [0, 1), such as rand.Float64.
func NewRetry(b Backoff, c clock.Clock, random func() float64) (*Retry, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	if c == nil || random == nil {
		return nil, errors.New("notify: retry: a clock and a random source are required")
	}
	return &Retry{backoff: b, clock: c, random: random}, nil
}

// Delay is the wait after failed attempt number attempt (1 for the first), at least retryAfter.
func (r *Retry) Delay(attempt int, retryAfter time.Duration) time.Duration {
	b := r.backoff
	d := float64(b.Initial) * math.Pow(b.Multiplier, float64(max(attempt, 1)-1))
	d = min(d, float64(b.Max))
	d -= d * b.Jitter * r.random()
	return max(time.Duration(d), retryAfter)
}

// Outcome is the state an attempt leaves a notification in.
type Outcome struct {
	State  string // store.NotificationDelivered, NotificationFailed or NotificationDead
	NextAt time.Time
	Err    error
}

// Attempt sends m once through in; attempt counts this one (1 for the first). A retryable failure
// before the last attempt is failed until the backoff delay; anything else that fails is dead.
func (r *Retry) Attempt(ctx context.Context, in Integration, m Message, attempt int) Outcome {
	retryable, err := in.Notify(ctx, m)
	now := r.clock.Now()
	if err == nil {
		return Outcome{State: store.NotificationDelivered, NextAt: now}
	}
	if !retryable || attempt >= r.backoff.MaxAttempts {
		return Outcome{State: store.NotificationDead, NextAt: now, Err: err}
	}
	var ra RetryAfterError
	var after time.Duration
	if errors.As(err, &ra) {
		after = ra.RetryAfter()
	}
	return Outcome{State: store.NotificationFailed, NextAt: now.Add(r.Delay(attempt, after)), Err: err}
}
