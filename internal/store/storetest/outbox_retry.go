package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// testOutboxRetry checks that only a dead notification can be put back, that it comes back pending
// with a fresh attempt count, and that the worker can then claim it.
func testOutboxRetry(t *testing.T, s store.Outbox) {
	ctx := t.Context()
	t0 := base
	dead := notification("a9", 0, "anna", "webhook", t0)
	live := notification("a9", 0, "bram", "webhook", t0)
	mustEnqueue(t, s, dead)
	mustEnqueue(t, s, live)
	if _, err := s.ClaimNotifications(ctx, t0, "w1", time.Minute, 10); err != nil {
		t.Fatalf("ClaimNotifications: %v", err)
	}
	if err := s.FinishNotification(ctx, dead.ID, "w1", store.NotificationResult{State: store.NotificationDead, NextAt: t0, Error: "410 gone", At: t0}); err != nil {
		t.Fatalf("FinishNotification dead: %v", err)
	}
	if err := s.FinishNotification(ctx, live.ID, "w1", store.NotificationResult{State: store.NotificationDelivered, At: t0}); err != nil {
		t.Fatalf("FinishNotification delivered: %v", err)
	}

	later := t0.Add(time.Hour)
	tests := []struct {
		name string
		id   int64
		want error
	}{
		{"a delivered notification is not sent again", live.ID, store.ErrNotFound},
		{"an unknown id", dead.ID + live.ID + 100, store.ErrNotFound},
		{"the dead letter goes back", dead.ID, nil},
		{"a second retry finds it no longer dead", dead.ID, store.ErrNotFound},
	}
	for _, tt := range tests {
		err := s.RetryNotification(ctx, tt.id, later)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: RetryNotification(%d) = %v, want %v", tt.name, tt.id, err, tt.want)
		}
	}

	deads, err := s.DeadNotifications(ctx, 0)
	if err != nil {
		t.Fatalf("DeadNotifications: %v", err)
	}
	if len(deads) != 0 {
		t.Errorf("dead letters after the retry = %d, want 0", len(deads))
	}
	ns, err := s.ClaimNotifications(ctx, later, "w2", time.Minute, 10)
	if err != nil {
		t.Fatalf("ClaimNotifications after retry: %v", err)
	}
	if len(ns) != 1 || ns[0].ID != dead.ID {
		t.Fatalf("claimed after retry: %+v, want only notification %d", ns, dead.ID)
	}
	if ns[0].Attempts != 1 {
		t.Errorf("attempts after retry and a claim = %d, want 1", ns[0].Attempts)
	}
	if ns[0].LastError != "410 gone" {
		t.Errorf("last error after retry = %q, want the earlier one kept", ns[0].LastError)
	}
}
