package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func escalationPolicyCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"EscalationPerPolicy", func(t *testing.T, s store.Store) { testEscalationPerPolicy(t, s) }},
	}
}

// testEscalationPerPolicy checks that an alert routed to two policies keeps two escalations with their
// own progress, and that stopping the alert stops both.
func testEscalationPerPolicy(t *testing.T, s store.Outbox) {
	ctx := t.Context()
	t0 := base
	for i, tt := range []struct {
		key  string
		want bool
	}{{"comms", true}, {"legal", true}, {"comms", false}} {
		e := store.Escalation{AlertID: "a1", PolicyKey: tt.key, Policy: []byte(`{"policy":"` + tt.key + `"}`),
			State: store.EscalationActive, NextAt: t0, StartedAt: t0}
		if created, err := s.StartEscalation(ctx, e); err != nil || created != tt.want {
			t.Fatalf("StartEscalation #%d (%s) = %v, %v; want %v", i+1, tt.key, created, err, tt.want)
		}
	}
	es := mustEscalations(t, s, "a1")
	if len(es) != 2 || es[0].PolicyKey != "comms" || es[1].PolicyKey != "legal" || string(es[1].Policy) != `{"policy":"legal"}` {
		t.Fatalf("EscalationsByAlert = %+v, want comms then legal", es)
	}
	if got, err := s.EscalationByAlert(ctx, "a1"); err != nil || got.PolicyKey != "comms" {
		t.Errorf("EscalationByAlert = %q, %v; want the comms escalation", got.PolicyKey, err)
	}
	// Advancing one policy leaves the other where it was.
	if err := s.AdvanceEscalation(ctx, "a1", "legal", 0, 1, t0.Add(30*time.Minute), store.EscalationActive, t0); err != nil {
		t.Fatalf("AdvanceEscalation legal: %v", err)
	}
	if err := s.AdvanceEscalation(ctx, "a1", "legal", 0, 1, t0.Add(30*time.Minute), store.EscalationActive, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AdvanceEscalation legal twice: err = %v, want ErrNotFound", err)
	}
	if err := s.AdvanceEscalation(ctx, "a1", "nope", 0, 1, t0, store.EscalationActive, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AdvanceEscalation of an unknown policy: err = %v, want ErrNotFound", err)
	}
	due, err := s.DueEscalations(ctx, t0.Add(time.Minute), 10)
	if err != nil || len(due) != 1 || due[0].PolicyKey != "comms" || due[0].NextSeq != 0 {
		t.Fatalf("DueEscalations = %+v, %v; want only comms at step 0", due, err)
	}
	due, err = s.DueEscalations(ctx, t0.Add(time.Hour), 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("DueEscalations an hour on = %+v, %v; want both", due, err)
	}
	if err := s.StopEscalation(ctx, "a1", store.EscalationAcked, "anna", t0.Add(time.Minute)); err != nil {
		t.Fatalf("StopEscalation: %v", err)
	}
	for _, e := range mustEscalations(t, s, "a1") {
		if e.State != store.EscalationAcked || e.StoppedBy != "anna" {
			t.Errorf("after StopEscalation, %s = %s by %q; want acked by anna", e.PolicyKey, e.State, e.StoppedBy)
		}
	}
	if err := s.StopEscalation(ctx, "a1", store.EscalationResolved, "resolved", t0.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StopEscalation of a stopped alert: err = %v, want ErrNotFound", err)
	}
	if es := mustEscalations(t, s, "unknown"); len(es) != 0 {
		t.Errorf("EscalationsByAlert(unknown) = %+v, want none", es)
	}
}

func mustEscalations(t *testing.T, s store.Outbox, alertID string) []store.Escalation {
	t.Helper()
	es, err := s.EscalationsByAlert(t.Context(), alertID)
	if err != nil {
		t.Fatalf("EscalationsByAlert(%s): %v", alertID, err)
	}
	return es
}
