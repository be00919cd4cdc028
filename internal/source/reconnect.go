package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Backoff says how long to wait between reconnection attempts. The zero value uses the defaults.
type Backoff struct {
	Initial    time.Duration // the first wait; default 1s
	Max        time.Duration // the longest wait; default 2m
	Multiplier float64       // growth per failed attempt; default 2
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = time.Second
	}
	if b.Max <= 0 {
		b.Max = 2 * time.Minute
	}
	if b.Max < b.Initial {
		b.Max = b.Initial
	}
	if b.Multiplier < 1 {
		b.Multiplier = 2
	}
	return b
}

// Delay returns the wait before attempt n (0 is the first retry), given r drawn uniformly from [0, 1).
// It uses "equal jitter": half the exponential step is fixed and half is random, so many clients that lost
// the same server at once spread out, and none retries immediately.
func (b Backoff) Delay(n int, r float64) time.Duration {
	b = b.withDefaults()
	step := float64(b.Initial) * math.Pow(b.Multiplier, float64(max(n, 0)))
	if step > float64(b.Max) || math.IsInf(step, 0) || math.IsNaN(step) {
		step = float64(b.Max)
	}
	r = min(max(r, 0), 1)
	return time.Duration(step/2 + r*step/2)
}

// SleepFunc waits for d or until ctx is done, whichever comes first, and returns ctx.Err() in the latter
// case. Tests inject one that records the waits and moves a simulated clock instead of sleeping.
type SleepFunc func(ctx context.Context, d time.Duration) error

// Sleep is the real SleepFunc.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Reconnector is the loop every connector shares: connect, and when the connection fails, wait with
// jittered exponential backoff and connect again, until the context is cancelled or the error is permanent.
type Reconnector struct {
	Backoff Backoff
	Sleep   SleepFunc      // nil means Sleep
	Rand    func() float64 // nil means math/rand/v2.Float64
	Tracker *Tracker       // may be nil
	Logger  *slog.Logger   // nil means discard
}

// ConnectFunc holds one connection (or one run of polls) open until it fails or ctx is done. It calls
// up once it is established and has proved itself, so the next failure starts the backoff from the
// beginning again instead of waiting the maximum after a long healthy connection.
type ConnectFunc func(ctx context.Context, up func()) error

// Run calls connect until ctx is cancelled, which returns nil, or until connect returns a permanent error,
// which is returned.
func (r *Reconnector) Run(ctx context.Context, connect ConnectFunc) error {
	sleep := r.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	random := r.Rand
	if random == nil {
		random = rand.Float64
	}
	logger := r.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// up may be called from a goroutine of connect's own, so the attempt count is atomic.
	var attempt atomic.Int64
	for {
		if ctx.Err() != nil {
			return nil
		}
		err := connect(ctx, func() {
			attempt.Store(0)
			r.Tracker.SetConnected(true)
		})
		r.Tracker.SetConnected(false)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			// A connection that ends cleanly was closed by the server (a deploy, a load balancer's idle
			// timeout); it is still a reason to reconnect, but not an error worth counting.
			err = errors.New("connection closed by the server")
		} else {
			r.Tracker.Error(err)
		}
		// An address the guard refuses stays refused until someone changes the source or the setting.
		if IsPermanent(err) || errors.Is(err, ErrBlockedAddress) {
			return fmt.Errorf("source: giving up: %w", err)
		}
		n := attempt.Add(1)
		d := r.Backoff.Delay(int(n-1), random())
		var ra *retryAfterError
		if errors.As(err, &ra) && ra.after > d {
			d = ra.after // the server said when it wants to hear from us again
		}
		logger.Warn("source disconnected; reconnecting", "err", err, "wait", d, "attempt", n)
		if err := sleep(ctx, d); err != nil {
			return nil
		}
		r.Tracker.Reconnecting()
	}
}

// retryAfterError carries the wait a server asked for with Retry-After.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter marks err with the wait the server asked for; the reconnect loop waits at least that long.
// A zero or negative wait leaves err as it is.
func RetryAfter(err error, after time.Duration) error {
	if err == nil || after <= 0 {
		return err
	}
	return &retryAfterError{err, after}
}

// MaxRetryAfter caps a server's Retry-After, so a wrong header cannot silence a source for days.
const MaxRetryAfter = time.Hour

// ParseRetryAfter reads a Retry-After header, in seconds or as an HTTP date relative to now. It returns 0
// when the header is missing or unreadable.
func ParseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}

// finishTimeout bounds the last save after a run ends.
const finishTimeout = 5 * time.Second

// RunThenFinish is the Run of a connector that saves its cursor spaced out: it runs connect under the
// reconnect loop and then, however that ended, calls finish on a context that survives the
// cancellation that ended it (for at most five seconds), so the last accepted posts are not replayed
// after a restart. It returns the loop's error joined with finish's.
func (r *Reconnector) RunThenFinish(ctx context.Context, connect ConnectFunc, finish func(ctx context.Context) error) error {
	err := r.Run(ctx, connect)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	if ferr := finish(fctx); ferr != nil {
		return errors.Join(err, ferr)
	}
	return err
}
