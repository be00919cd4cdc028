package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// busAlertCases are the cases of the alerts a scaled-out installation's partition owners raise.
func busAlertCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{{"BusAlertOneOpenPerMonitorKind", testBusAlertOneOpen}}
}

// testBusAlertOneOpen: among alerts with ids starting "bus-", at most one is open per monitor and
// kind; a second is refused with ErrAlreadyExists until the first is resolved. Events of the open one
// still go through, and alerts of a single node are not limited.
func testBusAlertOneOpen(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ev := func(id, status string, min int) store.Alert {
		return store.Alert{ID: id, Monitor: "m1", Kind: "volume_spike", Severity: "high", Status: status,
			Summary: "s", Explanation: []byte(`{}`), PostIDs: []string{"p"}, OpenedAt: at, UpdatedAt: at.Add(time.Duration(min) * time.Minute)}
	}
	if err := s.SaveAlert(ctx, ev("bus-a", store.AlertOpen, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAlert(ctx, ev("bus-a", store.AlertOpen, 1)); err != nil {
		t.Fatalf("an update of the open alert: %v", err)
	}
	if err := s.SaveAlert(ctx, ev("bus-b", store.AlertOpen, 2)); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("a second open alert of the same monitor and kind: %v; want ErrAlreadyExists", err)
	}
	other := ev("bus-c", store.AlertOpen, 2)
	other.Kind = "negative_spike"
	if err := s.SaveAlert(ctx, other); err != nil {
		t.Fatalf("an open alert of another kind: %v", err)
	}
	for _, id := range []string{"1a-x", "1b-y"} { // a single node's ids: not limited
		if err := s.SaveAlert(ctx, ev(id, store.AlertOpen, 3)); err != nil {
			t.Fatalf("single-node alert %s: %v", id, err)
		}
	}
	if err := s.SaveAlert(ctx, ev("bus-a", store.AlertResolved, 4)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAlert(ctx, ev("bus-b", store.AlertOpen, 5)); err != nil {
		t.Fatalf("a new open alert after the first resolved: %v", err)
	}
	open, err := s.Alerts(ctx, store.AlertQuery{Monitor: "m1", Status: store.AlertOpen})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range open {
		ids = append(ids, a.ID)
	}
	if len(ids) != 4 {
		t.Errorf("open alerts %v; want bus-b, bus-c and the two single-node ones", ids)
	}
}
