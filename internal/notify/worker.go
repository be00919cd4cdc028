package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Outbox is what the worker needs of the store.
type Outbox interface {
	ClaimNotifications(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]store.Notification, error)
	FinishNotification(ctx context.Context, id int64, owner string, r store.NotificationResult) error
}

// WorkerConfig tunes the outbox worker.
type WorkerConfig struct {
	// Owner names this worker in leases; it must differ between processes sharing a database.
	Owner string
	// Lease is how long a claimed row belongs to this worker. It must be well above Timeout: a row
	// whose lease runs out while it is being sent is claimed again by another worker and sent twice
	// (with the same idempotency key).
	Lease   time.Duration
	Timeout time.Duration // per attempt
	Batch   int           // rows claimed at once; they are sent concurrently
	Poll    time.Duration // how often to look for due rows (retries, expired leases) without a Wake
}

// DefaultWorkerConfig returns the settings serve uses, for a worker named owner.
func DefaultWorkerConfig(owner string) WorkerConfig {
	return WorkerConfig{Owner: owner, Lease: 2 * time.Minute, Timeout: 20 * time.Second, Batch: 32, Poll: time.Second}
}

// Worker sends the outbox's due notifications through the retry stage and records each result. Rows
// are persisted pending before the worker sees them, claimed under a lease, and finished after the
// attempt; a crash between sending and finishing leaves a row whose lease runs out and is sent again,
// which is why every attempt carries the same idempotency key.
type Worker struct {
	cfg    WorkerConfig
	outbox Outbox
	// integrations is swapped whole when the plan's channels change, while rows are being sent.
	integrations atomic.Pointer[map[string]Integration]
	retry        *Retry
	clock        clock.Clock
	logger       *slog.Logger
	wake         chan struct{}

	sent     *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// Test hooks for the crash test: called after a row is claimed (persisted, not yet sent) and
	// after it is sent but before its result is recorded.
	afterClaim, beforeFinish func(store.Notification)
}

// NewWorker returns a worker that sends through integrations, keyed by the channel name stored in
// each notification. A nil logger discards.
func NewWorker(cfg WorkerConfig, ob Outbox, integrations map[string]Integration, retry *Retry, c clock.Clock,
	logger *slog.Logger, reg prometheus.Registerer) (*Worker, error) {
	switch {
	case cfg.Owner == "":
		return nil, errors.New("notify: worker: an owner name is required")
	case cfg.Timeout <= 0 || cfg.Lease <= cfg.Timeout:
		return nil, fmt.Errorf("notify: worker: want 0 < timeout (%v) < lease (%v)", cfg.Timeout, cfg.Lease)
	case cfg.Batch < 1 || cfg.Poll <= 0:
		return nil, fmt.Errorf("notify: worker: batch (%d) and poll (%v) must be positive", cfg.Batch, cfg.Poll)
	case ob == nil || retry == nil || c == nil:
		return nil, errors.New("notify: worker: outbox, retry stage and clock are required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Worker{
		cfg: cfg, outbox: ob, retry: retry, clock: c,
		logger: logger.With("component", "notify"),
		wake:   make(chan struct{}, 1),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_notifications_total",
			Help: "Notification attempts by channel and result (delivered, failed, dead).",
		}, []string{"channel", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "crisisdesk_notification_attempt_seconds",
			Help:    "Duration of one notification attempt by channel.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 9),
		}, []string{"channel"}),
	}
	w.SetIntegrations(integrations)
	if reg != nil {
		for _, c := range []prometheus.Collector{w.sent, w.duration} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("notify: worker: register metrics: %w", err)
			}
		}
	}
	return w, nil
}

// SetIntegrations replaces the channels the worker sends through, keyed by channel name, for the
// rows it claims from now on; serve calls it when a newer crisis plan changes the channels. A row
// being sent finishes on the integration it started with.
func (w *Worker) SetIntegrations(integrations map[string]Integration) {
	w.integrations.Store(&integrations)
}

// Wake makes Run look for due rows now, not at the next poll; the escalation engine calls it after
// enqueueing. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends due notifications until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				w.logger.ErrorContext(ctx, "outbox round failed", "err", err)
				break
			}
			if n < w.cfg.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due notifications, sends them concurrently, records the results, and
// returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ns, err := w.outbox.ClaimNotifications(ctx, w.clock.Now(), w.cfg.Owner, w.cfg.Lease, w.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("notify: claim: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ns))
	for i, n := range ns {
		wg.Go(func() { errs[i] = w.send(ctx, n) })
	}
	wg.Wait()
	return len(ns), errors.Join(errs...)
}

func (w *Worker) send(ctx context.Context, n store.Notification) error {
	if w.afterClaim != nil {
		w.afterClaim(n)
	}
	log := w.logger.With("alert", n.AlertID, "step", n.Step, "recipient", n.Recipient, "channel", n.Channel, "attempt", n.Attempts)
	var out Outcome
	var m Message
	in, ok := (*w.integrations.Load())[n.Channel]
	switch {
	case !ok:
		out = Outcome{State: store.NotificationDead, NextAt: w.clock.Now(), Err: fmt.Errorf("notify: no channel named %q is configured", n.Channel)}
	case json.Unmarshal(n.Payload, &m) != nil:
		out = Outcome{State: store.NotificationDead, NextAt: w.clock.Now(), Err: fmt.Errorf("notify: notification %d has an unreadable payload", n.ID)}
	default:
		m.IdempotencyKey = IdempotencyKey(n.AlertID, n.Step, n.Recipient, n.Channel)
		actx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
		start := time.Now()
		out = w.retry.Attempt(actx, in, m, n.Attempts)
		w.duration.WithLabelValues(n.Channel).Observe(time.Since(start).Seconds())
		cancel()
	}
	if w.beforeFinish != nil {
		w.beforeFinish(n)
	}
	w.sent.WithLabelValues(n.Channel, out.State).Inc()
	res := store.NotificationResult{State: out.State, NextAt: out.NextAt, At: w.clock.Now()}
	switch {
	case out.Err == nil:
		log.InfoContext(ctx, "notification delivered")
	case out.State == store.NotificationFailed:
		res.Error = out.Err.Error()
		log.WarnContext(ctx, "notification failed, will retry", "retry_at", out.NextAt, "err", out.Err)
	default:
		res.Error = out.Err.Error()
		log.ErrorContext(ctx, "notification dead", "err", out.Err)
	}
	// The result is recorded even when ctx was cancelled during the attempt, so a delivered page is
	// not sent again after a clean shutdown.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.outbox.FinishNotification(fctx, n.ID, w.cfg.Owner, res); err != nil {
		return fmt.Errorf("notify: record result of notification %d: %w", n.ID, err)
	}
	return nil
}
