package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// outboxTests are the outbox, escalation and acknowledgement cases; Run runs them with the rest.
var outboxTests = []struct {
	name string
	fn   func(t *testing.T, s store.Outbox)
}{
	{"OutboxEnqueueOnce", testOutboxEnqueueOnce},
	{"OutboxClaimLeaseFinish", testOutboxClaimLeaseFinish},
	{"OutboxConcurrentClaims", testOutboxConcurrentClaims},
	{"Escalations", testEscalations},
	{"Acks", testAcks},
	{"OutboxRetry", testOutboxRetry},
}

// outboxCases wraps outboxTests for Run's table: each case gets a fresh store, which must implement
// store.Outbox.
func outboxCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	cases := make([]struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}, len(outboxTests))
	for i, tt := range outboxTests {
		cases[i].name = tt.name
		cases[i].fn = func(t *testing.T, s store.Store) {
			o, ok := s.(store.Outbox)
			if !ok {
				t.Fatalf("%T does not implement store.Outbox", s)
			}
			tt.fn(t, o)
		}
	}
	return cases
}

func notification(alert string, step int, recipient, channel string, at time.Time) *store.Notification {
	return &store.Notification{AlertID: alert, Step: step, Recipient: recipient, Channel: channel,
		Payload: []byte(`{"summary":"` + alert + `"}`), NextAt: at, CreatedAt: at}
}

func mustEnqueue(t *testing.T, s store.Outbox, n *store.Notification) bool {
	t.Helper()
	created, err := s.EnqueueNotification(t.Context(), n)
	if err != nil {
		t.Fatalf("EnqueueNotification(%s/%d/%s/%s): %v", n.AlertID, n.Step, n.Recipient, n.Channel, err)
	}
	return created
}

func testOutboxEnqueueOnce(t *testing.T, s store.Outbox) {
	t0 := base
	tests := []struct {
		name        string
		n           *store.Notification
		wantCreated bool
	}{
		{"first", notification("a1", 0, "anna", "email", t0), true},
		{"same key again", notification("a1", 0, "anna", "email", t0.Add(time.Minute)), false},
		{"other channel", notification("a1", 0, "anna", "slack", t0), true},
		{"other step", notification("a1", 1, "anna", "email", t0), true},
		{"other recipient", notification("a1", 0, "bram", "email", t0), true},
		{"other alert", notification("a2", 0, "anna", "email", t0), true},
		{"empty payload", &store.Notification{AlertID: "a3", Recipient: "c", Channel: "email", NextAt: t0, CreatedAt: t0}, true},
	}
	ids := map[string]int64{}
	for _, tt := range tests {
		got := mustEnqueue(t, s, tt.n)
		if got != tt.wantCreated {
			t.Errorf("%s: created = %v, want %v", tt.name, got, tt.wantCreated)
		}
		if tt.n.ID == 0 {
			t.Errorf("%s: ID not set", tt.name)
		}
		k := fmt.Sprintf("%s/%d/%s/%s", tt.n.AlertID, tt.n.Step, tt.n.Recipient, tt.n.Channel)
		if id, seen := ids[k]; seen && id != tt.n.ID {
			t.Errorf("%s: same key got id %d, first had %d", tt.name, tt.n.ID, id)
		}
		ids[k] = tt.n.ID
	}
	ns, err := s.NotificationsByAlert(t.Context(), "a1")
	if err != nil {
		t.Fatalf("NotificationsByAlert: %v", err)
	}
	var got []string
	for _, n := range ns {
		got = append(got, fmt.Sprintf("%d/%s/%s/%s", n.Step, n.Recipient, n.Channel, n.State))
		if string(n.Payload) != `{"summary":"a1"}` || !n.NextAt.Equal(t0) || !n.CreatedAt.Equal(t0) {
			t.Errorf("notification %d did not round-trip: %+v", n.ID, n)
		}
	}
	want := []string{"0/anna/email/pending", "0/anna/slack/pending", "0/bram/email/pending", "1/anna/email/pending"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("NotificationsByAlert = %v, want %v", got, want)
	}
}

func testOutboxClaimLeaseFinish(t *testing.T, s store.Outbox) {
	ctx := t.Context()
	t0 := base
	lease := time.Minute
	early := notification("a1", 0, "anna", "email", t0)
	later := notification("a1", 0, "bram", "email", t0.Add(10*time.Minute))
	mustEnqueue(t, s, early)
	mustEnqueue(t, s, later)

	claim := func(name string, at time.Time, owner string, wantIDs ...int64) []store.Notification {
		t.Helper()
		ns, err := s.ClaimNotifications(ctx, at, owner, lease, 10)
		if err != nil {
			t.Fatalf("%s: ClaimNotifications: %v", name, err)
		}
		var got []int64
		for _, n := range ns {
			got = append(got, n.ID)
			if n.State != store.NotificationSending || n.LeaseOwner != owner || !n.LeaseUntil.Equal(at.Add(lease)) {
				t.Errorf("%s: claimed row %d is %s by %q until %v", name, n.ID, n.State, n.LeaseOwner, n.LeaseUntil)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(wantIDs) {
			t.Fatalf("%s: claimed %v, want %v", name, got, wantIDs)
		}
		return ns
	}

	ns := claim("only the due one", t0, "w1", early.ID)
	if ns[0].Attempts != 1 {
		t.Errorf("first claim: attempts = %d, want 1", ns[0].Attempts)
	}
	claim("leased rows are not claimed again", t0.Add(30*time.Second), "w2")
	// w1 crashed: after its lease, w2 gets the row, and w1 can no longer record a result.
	ns = claim("expired lease is claimed again", t0.Add(lease), "w2", early.ID)
	if ns[0].Attempts != 2 {
		t.Errorf("second claim: attempts = %d, want 2", ns[0].Attempts)
	}
	err := s.FinishNotification(ctx, early.ID, "w1", store.NotificationResult{State: store.NotificationDelivered, At: t0.Add(lease)})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("finish by the worker that lost the lease: err = %v, want ErrNotFound", err)
	}
	retryAt := t0.Add(2 * time.Minute)
	if err := s.FinishNotification(ctx, early.ID, "w2", store.NotificationResult{State: store.NotificationFailed, NextAt: retryAt, Error: "503", At: t0.Add(lease)}); err != nil {
		t.Fatalf("finish failed: %v", err)
	}
	if err := s.FinishNotification(ctx, early.ID, "w2", store.NotificationResult{State: store.NotificationDelivered, At: t0.Add(lease)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("finish of a row not being sent: err = %v, want ErrNotFound", err)
	}
	if err := s.FinishNotification(ctx, early.ID, "w2", store.NotificationResult{State: store.NotificationPending}); err == nil {
		t.Errorf("finish with state pending: no error")
	}
	claim("failed row waits for its retry time", retryAt.Add(-time.Nanosecond), "w2")
	claim("failed row is claimed at its retry time", retryAt, "w3", early.ID)
	deliveredAt := retryAt.Add(time.Second)
	if err := s.FinishNotification(ctx, early.ID, "w3", store.NotificationResult{State: store.NotificationDelivered, At: deliveredAt}); err != nil {
		t.Fatalf("finish delivered: %v", err)
	}
	ns = claim("the later row when due", t0.Add(time.Hour), "w3", later.ID)
	if err := s.FinishNotification(ctx, later.ID, "w3", store.NotificationResult{State: store.NotificationDead, Error: "400 bad request", At: t0.Add(time.Hour)}); err != nil {
		t.Fatalf("finish dead: %v", err)
	}
	claim("delivered and dead rows are never claimed", t0.Add(1000*time.Hour), "w4")

	all, err := s.NotificationsByAlert(ctx, "a1")
	if err != nil {
		t.Fatalf("NotificationsByAlert: %v", err)
	}
	if len(all) != 2 || all[0].State != store.NotificationDelivered || !all[0].DeliveredAt.Equal(deliveredAt) || all[0].Attempts != 3 ||
		all[0].LastError != "" || all[1].State != store.NotificationDead || all[1].LastError != "400 bad request" || !all[1].DeliveredAt.IsZero() {
		t.Errorf("final rows = %+v", all)
	}
	dead, err := s.DeadNotifications(ctx, 0)
	if err != nil {
		t.Fatalf("DeadNotifications: %v", err)
	}
	if len(dead) != 1 || dead[0].ID != later.ID {
		t.Errorf("DeadNotifications = %+v, want only %d", dead, later.ID)
	}
}

func testOutboxConcurrentClaims(t *testing.T, s store.Outbox) {
	const rows, workers = 60, 4
	for i := range rows {
		mustEnqueue(t, s, notification(fmt.Sprintf("a%02d", i), 0, "anna", "email", base))
	}
	var mu sync.Mutex
	claimed := map[int64]string{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		owner := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				ns, err := s.ClaimNotifications(t.Context(), base, owner, time.Minute, 5)
				if err != nil {
					errs <- err
					return
				}
				if len(ns) == 0 {
					return
				}
				mu.Lock()
				for _, n := range ns {
					if prev, dup := claimed[n.ID]; dup {
						errs <- fmt.Errorf("row %d claimed by %s and %s", n.ID, prev, owner)
					}
					claimed[n.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(claimed) != rows {
		t.Errorf("claimed %d rows, want %d", len(claimed), rows)
	}
}

func testEscalations(t *testing.T, s store.Outbox) {
	ctx := t.Context()
	t0 := base
	e := store.Escalation{AlertID: "a1", Policy: []byte(`{"steps":2}`), State: store.EscalationActive, NextSeq: 0, NextAt: t0, StartedAt: t0}
	for i, want := range []bool{true, false} {
		created, err := s.StartEscalation(ctx, e)
		if err != nil || created != want {
			t.Fatalf("StartEscalation #%d = %v, %v; want %v", i+1, created, err, want)
		}
	}
	if _, err := s.StartEscalation(ctx, store.Escalation{AlertID: "a2", Policy: []byte(`{}`), State: store.EscalationActive, NextAt: t0.Add(time.Hour), StartedAt: t0}); err != nil {
		t.Fatalf("StartEscalation a2: %v", err)
	}
	due := func(name string, at time.Time, want ...string) {
		t.Helper()
		es, err := s.DueEscalations(ctx, at, 10)
		if err != nil {
			t.Fatalf("%s: DueEscalations: %v", name, err)
		}
		var got []string
		for _, e := range es {
			got = append(got, fmt.Sprintf("%s@%d", e.AlertID, e.NextSeq))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: due = %v, want %v", name, got, want)
		}
	}
	due("at start", t0, "a1@0")
	if err := s.AdvanceEscalation(ctx, "a1", "", 0, 1, t0.Add(5*time.Minute), store.EscalationActive, t0); err != nil {
		t.Fatalf("AdvanceEscalation: %v", err)
	}
	if err := s.AdvanceEscalation(ctx, "a1", "", 0, 1, t0.Add(5*time.Minute), store.EscalationActive, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("advancing from a step already left: err = %v, want ErrNotFound", err)
	}
	due("before the next step", t0.Add(5*time.Minute-time.Nanosecond))
	due("both due", t0.Add(2*time.Hour), "a1@1", "a2@0")
	if err := s.StopEscalation(ctx, "a1", store.EscalationAcked, "anna", t0.Add(6*time.Minute)); err != nil {
		t.Fatalf("StopEscalation: %v", err)
	}
	if err := s.StopEscalation(ctx, "a1", store.EscalationResolved, "resolved", t0.Add(7*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("stopping a stopped escalation: err = %v, want ErrNotFound", err)
	}
	if err := s.AdvanceEscalation(ctx, "a1", "", 1, 2, t0.Add(10*time.Minute), store.EscalationActive, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("advancing a stopped escalation: err = %v, want ErrNotFound", err)
	}
	due("acked is never due", t0.Add(2*time.Hour), "a2@0")
	got, err := s.EscalationByAlert(ctx, "a1")
	if err != nil {
		t.Fatalf("EscalationByAlert: %v", err)
	}
	if got.State != store.EscalationAcked || got.StoppedBy != "anna" || got.NextSeq != 1 || string(got.Policy) != `{"steps":2}` ||
		!got.StartedAt.Equal(t0) || !got.UpdatedAt.Equal(t0.Add(6*time.Minute)) {
		t.Errorf("EscalationByAlert = %+v", got)
	}
	if _, err := s.EscalationByAlert(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("EscalationByAlert(unknown): err = %v, want ErrNotFound", err)
	}
}

func testAcks(t *testing.T, s store.Outbox) {
	ctx := t.Context()
	tests := []struct {
		name    string
		ack     store.Ack
		wantErr error
	}{
		{"first", store.Ack{AlertID: "a1", Recipient: "anna", By: "anna (198.51.100.7)", At: base.Add(2 * time.Minute)}, nil},
		{"same recipient again", store.Ack{AlertID: "a1", Recipient: "anna", By: "someone else", At: base.Add(3 * time.Minute)}, store.ErrAlreadyExists},
		{"another recipient", store.Ack{AlertID: "a1", Recipient: "bram", By: "bram", At: base.Add(time.Minute)}, nil},
		{"another alert", store.Ack{AlertID: "a2", Recipient: "anna", By: "anna", At: base}, nil},
	}
	for _, tt := range tests {
		if err := s.RecordAck(ctx, tt.ack); !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("%s: RecordAck err = %v, want %v", tt.name, err, tt.wantErr)
		}
	}
	acks, err := s.AcksByAlert(ctx, "a1")
	if err != nil {
		t.Fatalf("AcksByAlert: %v", err)
	}
	if len(acks) != 2 || acks[0] != tests[2].ack || acks[1] != tests[0].ack {
		t.Errorf("AcksByAlert = %+v", acks)
	}
}
