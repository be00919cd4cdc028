package notify

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func enqueue(t *testing.T, s *sqlite.Store, alertID, recipient, channel string, at time.Time) *store.Notification {
	t.Helper()
	payload, err := json.Marshal(Message{AlertID: alertID, Severity: "high", Summary: "s", Recipient: recipient, Lang: "en", At: at})
	if err != nil {
		t.Fatal(err)
	}
	n := &store.Notification{AlertID: alertID, Recipient: recipient, Channel: channel, Payload: payload, NextAt: at, CreatedAt: at}
	if _, err := s.EnqueueNotification(t.Context(), n); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	return n
}

// scripted is an integration that answers from a list, one answer per call, and records the keys.
type scripted struct {
	mu      sync.Mutex
	answers []error // nil: delivered; errRetry: retryable; anything else: permanent
	calls   []Message
}

var errRetry = errors.New("503 from the receiver")

func (s *scripted) Notify(_ context.Context, m Message) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, m)
	if len(s.answers) == 0 {
		return false, nil
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return errors.Is(a, errRetry), a
}

func newWorker(t *testing.T, s Outbox, c clock.Clock, ins map[string]Integration, b Backoff) *Worker {
	t.Helper()
	r, err := NewRetry(b, c, func() float64 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultWorkerConfig("test-worker")
	w, err := NewWorker(cfg, s, ins, r, c, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWorkerDeliversRetriesAndGivesUp(t *testing.T) {
	s := openStore(t, ":memory:")
	c := clock.NewSim(t0)
	ok := &scripted{}
	flaky := &scripted{answers: []error{errRetry, errRetry}}
	bad := &scripted{answers: []error{errors.New("400 invalid_payload")}}
	hopeless := &scripted{answers: []error{errRetry, errRetry, errRetry}}
	w := newWorker(t, s, c, map[string]Integration{"ok": ok, "flaky": flaky, "bad": bad, "hopeless": hopeless},
		Backoff{Initial: 2 * time.Second, Max: time.Minute, Multiplier: 2, MaxAttempts: 3})
	rows := map[string]*store.Notification{}
	for _, ch := range []string{"ok", "flaky", "bad", "hopeless", "unconfigured"} {
		rows[ch] = enqueue(t, s, "a1", "anna", ch, t0)
	}

	// Each round: advance the simulated clock, run the worker once, and expect the states.
	rounds := []struct {
		advance   time.Duration
		wantSent  int
		wantState map[string]string
	}{
		{0, 5, map[string]string{"ok": "delivered", "flaky": "failed", "bad": "dead", "hopeless": "failed", "unconfigured": "dead"}},
		{time.Second, 0, map[string]string{"flaky": "failed", "hopeless": "failed"}},
		{time.Second, 2, map[string]string{"flaky": "failed", "hopeless": "failed"}},      // t0+2s: second attempts fail
		{4 * time.Second, 2, map[string]string{"flaky": "delivered", "hopeless": "dead"}}, // t0+6s: third attempts
		{time.Hour, 0, map[string]string{"ok": "delivered", "flaky": "delivered", "hopeless": "dead"}},
	}
	for i, r := range rounds {
		c.Advance(r.advance)
		n, err := w.RunOnce(t.Context())
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if n != r.wantSent {
			t.Errorf("round %d: claimed %d, want %d", i, n, r.wantSent)
		}
		all, err := s.NotificationsByAlert(t.Context(), "a1")
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range all {
			if want, ok := r.wantState[got.Channel]; ok && got.State != want {
				t.Errorf("round %d: %s is %s, want %s (%s)", i, got.Channel, got.State, want, got.LastError)
			}
		}
	}
	if len(flaky.calls) != 3 || flaky.calls[0].IdempotencyKey != flaky.calls[2].IdempotencyKey ||
		flaky.calls[0].IdempotencyKey != IdempotencyKey("a1", 0, "anna", "flaky") {
		t.Errorf("flaky got %d calls with keys %v", len(flaky.calls), flaky.calls)
	}
	dead, err := s.DeadNotifications(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 3 {
		t.Errorf("%d dead letters, want 3 (bad, hopeless, unconfigured): %+v", len(dead), dead)
	}
	for _, d := range dead {
		if d.LastError == "" {
			t.Errorf("dead letter %s has no error", d.Channel)
		}
	}
}

func TestWorkerRunStopsOnCancel(t *testing.T) {
	s := openStore(t, ":memory:")
	c := clock.NewSim(t0)
	got := make(chan Message, 1)
	w := newWorker(t, s, c, map[string]Integration{"ch": IntegrationFunc(func(_ context.Context, m Message) (bool, error) {
		got <- m
		return false, nil
	})}, DefaultBackoff())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	enqueue(t, s, "a1", "anna", "ch", t0)
	w.Wake()
	select {
	case m := <-got:
		if m.AlertID != "a1" {
			t.Errorf("sent %+v", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing sent within 10s of Wake")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}

// The crash test. A child process (this test binary again, told by crashEnv what to do) persists a
// notification, claims it and is killed with SIGKILL at a chosen point; then this process opens the
// same database, lets the child's lease run out, and delivers. A real HTTP receiver on loopback
// counts what it applies by idempotency key.

const crashEnv = "CRISISDESK_NOTIFY_CRASH_CHILD"

func TestCrashChild(t *testing.T) {
	mode := os.Getenv(crashEnv)
	if mode == "" {
		t.Skip("run by TestCrashDeliversOnce as a child process")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, os.Getenv(crashEnv+"_DB"), nil)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	enqueue(t, s, "a1", "anna", "hook", time.Now().UTC())
	hold := func(marker string) func(store.Notification) {
		return func(store.Notification) {
			fmt.Println(marker)
			select {} // the parent kills this process here
		}
	}
	in := receiverIntegration(os.Getenv(crashEnv + "_URL"))
	r, err := NewRetry(DefaultBackoff(), clock.Real{}, func() float64 { return 0 })
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	w, err := NewWorker(DefaultWorkerConfig("child"), s, map[string]Integration{"hook": in}, r, clock.Real{}, nil, nil)
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(3)
	}
	switch mode {
	case "before-send":
		w.afterClaim = hold("CLAIMED")
	case "after-send":
		w.beforeFinish = hold("SENT")
	}
	if _, err := w.RunOnce(ctx); err != nil {
		fmt.Println("ERROR", err)
	}
	fmt.Println("ERROR the child finished without being killed")
	os.Exit(3)
}

func TestCrashDeliversOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	tests := []struct {
		mode         string
		marker       string
		wantRequests int // what reached the receiver over both runs, all with one key: one effect
	}{
		// Killed after persisting and claiming, before sending: the restart sends it once.
		{"before-send", "CLAIMED", 1},
		// Killed after the receiver accepted it, before the result was recorded: the restart sends it
		// again with the same idempotency key, and the receiver applies it once.
		{"after-send", "SENT", 2},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			rc := newDedupReceiver(t)
			db := filepath.Join(t.TempDir(), "crisisdesk.db")
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrashChild$")
			cmd.Env = append(os.Environ(), crashEnv+"="+tt.mode, crashEnv+"_DB="+db, crashEnv+"_URL="+rc.url)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := waitFor(out, tt.marker, 30*time.Second)
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("child: %v (last line %q)", err, line)
			}
			if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code runs in the child
				t.Fatal(err)
			}
			cmd.Wait()

			s := openStore(t, db)
			rows, err := s.NotificationsByAlert(t.Context(), "a1")
			if err != nil || len(rows) != 1 || rows[0].State != store.NotificationSending {
				t.Fatalf("after the kill: rows %+v, %v; want one row left sending", rows, err)
			}
			// The restarted worker's clock is past the dead child's lease.
			c := clock.NewSim(time.Now().Add(DefaultWorkerConfig("").Lease + time.Second))
			w := newWorker(t, s, c, map[string]Integration{"hook": receiverIntegration(rc.url)}, DefaultBackoff())
			if n, err := w.RunOnce(t.Context()); err != nil || n != 1 {
				t.Fatalf("restart: RunOnce = %d, %v", n, err)
			}
			if n, err := w.RunOnce(t.Context()); err != nil || n != 0 {
				t.Fatalf("restart, second round: RunOnce = %d, %v", n, err)
			}
			rows, err = s.NotificationsByAlert(t.Context(), "a1")
			if err != nil || rows[0].State != store.NotificationDelivered || rows[0].Attempts != 2 {
				t.Fatalf("after the restart: %+v, %v; want delivered on attempt 2", rows, err)
			}
			requests, byKey := rc.counts()
			key := IdempotencyKey("a1", 0, "anna", "hook")
			if requests != tt.wantRequests || len(byKey) != 1 || byKey[key] != tt.wantRequests {
				t.Errorf("receiver got %d requests by key %v; want %d, all with key %s", requests, byKey, tt.wantRequests, key)
			}
		})
	}
}

// waitFor reads lines from r until one equals marker.
func waitFor(r io.Reader, marker string, timeout time.Duration) (string, error) {
	lines := make(chan string, 1024) // the child prints a few lines; the reader never blocks
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	last := ""
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return last, errors.New("exited before " + marker)
			}
			if l == marker {
				return l, nil
			}
			last = l
		case <-deadline:
			return last, errors.New("no " + marker + " within " + timeout.String())
		}
	}
}

// receiverIntegration posts the message as JSON with its idempotency key, as the webhook integration
// does (which this package cannot import: it imports this one).
func receiverIntegration(url string) Integration {
	return IntegrationFunc(func(ctx context.Context, m Message) (bool, error) {
		body, err := json.Marshal(m)
		if err != nil {
			return false, err
		}
		return PostJSON(ctx, http.DefaultClient, url, body, http.Header{"Idempotency-Key": {m.IdempotencyKey}})
	})
}

// dedupReceiver is a receiver that follows docs/WEBHOOKS.md: it counts requests by Idempotency-Key
// and answers 200 to a repeat, so what it applies is one effect per distinct key.
type dedupReceiver struct {
	url      string
	mu       sync.Mutex
	requests int
	byKey    map[string]int
}

func newDedupReceiver(t *testing.T) *dedupReceiver {
	rc := &dedupReceiver{byKey: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		key := r.Header.Get("Idempotency-Key")
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.requests++
		if key == "" {
			http.Error(w, "no Idempotency-Key", http.StatusBadRequest)
			return
		}
		rc.byKey[key]++ // a real receiver acts only when this becomes 1
	}))
	t.Cleanup(srv.Close)
	rc.url = srv.URL + "/hook"
	return rc
}

func (rc *dedupReceiver) counts() (int, map[string]int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	m := make(map[string]int, len(rc.byKey))
	for k, v := range rc.byKey {
		m[k] = v
	}
	return rc.requests, m
}
