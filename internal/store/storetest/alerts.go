package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// alertTests are the alert and silence cases; Run runs them with the rest.
var alertTests = []struct {
	name string
	fn   func(t *testing.T, s store.Alerts)
}{
	{"AlertEventsIdempotent", testAlertEventsIdempotent},
	{"AlertAckResolve", testAlertAckResolve},
	{"AlertQuery", testAlertQuery},
	{"Silences", testSilences},
	{"MonitorActivity", testMonitorActivity},
}

// alertCases wraps alertTests for Run's table: each case gets a fresh store, which must implement
// store.Alerts.
func alertCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	cases := make([]struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}, len(alertTests))
	for i, tt := range alertTests {
		cases[i].name = tt.name
		cases[i].fn = func(t *testing.T, s store.Store) {
			a, ok := s.(store.Alerts)
			if !ok {
				t.Fatalf("%T does not implement store.Alerts", s)
			}
			tt.fn(t, a)
		}
	}
	return cases
}

func alertEvent(id, status, severity string, minutes int, posts ...string) store.Alert {
	return store.Alert{
		ID: id, Monitor: "m1", Kind: "volume_spike", Severity: severity, Status: status,
		Summary: severity + " at " + time.Duration(minutes*int(time.Minute)).String(), Explanation: []byte(`{"observed":12}`),
		PostIDs: posts, OpenedAt: base, UpdatedAt: base.Add(time.Duration(minutes) * time.Minute),
	}
}

func mustAlert(t *testing.T, s store.Alerts, id string) store.Alert {
	t.Helper()
	a, err := s.AlertByID(t.Context(), id)
	if err != nil {
		t.Fatalf("AlertByID(%q): %v", id, err)
	}
	return a
}

func testAlertEventsIdempotent(t *testing.T, s store.Alerts) {
	ctx := t.Context()
	events := []store.Alert{
		alertEvent("a1", store.AlertOpen, "medium", 0, "p1"),
		alertEvent("a1", store.AlertOpen, "high", 5, "p1", "p2"),
		alertEvent("a1", store.AlertOpen, "medium", 0, "p1"), // an old event arriving late
		alertEvent("a1", store.AlertOpen, "high", 5, "p1", "p2"),
	}
	for i, ev := range events {
		if err := s.SaveAlert(ctx, ev); err != nil {
			t.Fatalf("SaveAlert #%d: %v", i, err)
		}
	}
	got := mustAlert(t, s, "a1")
	want := events[1]
	if got.Severity != want.Severity || got.Summary != want.Summary || !reflect.DeepEqual(got.PostIDs, want.PostIDs) ||
		!got.UpdatedAt.Equal(want.UpdatedAt) || !got.OpenedAt.Equal(base) || got.Status != store.AlertOpen ||
		string(got.Explanation) != string(want.Explanation) || !got.ResolvedAt.IsZero() || !got.AckedAt.IsZero() {
		t.Fatalf("after replayed events got %+v, want the newest event %+v", got, want)
	}

	resolved := alertEvent("a1", store.AlertResolved, "high", 20, "p1", "p2")
	for range 2 {
		if err := s.SaveAlert(ctx, resolved); err != nil {
			t.Fatalf("SaveAlert resolved: %v", err)
		}
	}
	got = mustAlert(t, s, "a1")
	if got.Status != store.AlertResolved || !got.ResolvedAt.Equal(resolved.UpdatedAt) || got.ResolvedBy != "" {
		t.Fatalf("resolved event: got status %q at %v by %q", got.Status, got.ResolvedAt, got.ResolvedBy)
	}
	if _, err := s.AlertByID(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("AlertByID(unknown) = %v, want ErrNotFound", err)
	}
}

func testAlertAckResolve(t *testing.T, s store.Alerts) {
	ctx := t.Context()
	if err := s.SaveAlert(ctx, alertEvent("a1", store.AlertOpen, "high", 0, "p1")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		do      func() error
		wantErr error
		check   func(a store.Alert) bool
	}{
		{"first ack is kept", func() error { return s.AcknowledgeAlert(ctx, "a1", "anna@example.org", base.Add(time.Minute)) }, nil,
			func(a store.Alert) bool {
				return a.AckedBy == "anna@example.org" && a.AckedAt.Equal(base.Add(time.Minute))
			}},
		{"second ack changes nothing", func() error { return s.AcknowledgeAlert(ctx, "a1", "bob@example.org", base.Add(2*time.Minute)) }, nil,
			func(a store.Alert) bool {
				return a.AckedBy == "anna@example.org" && a.AckedAt.Equal(base.Add(time.Minute))
			}},
		{"ack survives an update", func() error { return s.SaveAlert(ctx, alertEvent("a1", store.AlertOpen, "critical", 3, "p1")) }, nil,
			func(a store.Alert) bool { return a.AckedBy == "anna@example.org" && a.Severity == "critical" }},
		{"resolve by hand", func() error { return s.ResolveAlert(ctx, "a1", "bob@example.org", base.Add(4*time.Minute)) }, nil,
			func(a store.Alert) bool {
				return a.Status == store.AlertResolved && a.ResolvedBy == "bob@example.org" && a.ResolvedAt.Equal(base.Add(4*time.Minute))
			}},
		{"a later update does not reopen it", func() error { return s.SaveAlert(ctx, alertEvent("a1", store.AlertOpen, "critical", 6, "p1", "p9")) }, nil,
			func(a store.Alert) bool {
				return a.Status == store.AlertResolved && a.ResolvedAt.Equal(base.Add(4*time.Minute)) && len(a.PostIDs) == 2
			}},
		{"resolving again changes nothing", func() error { return s.ResolveAlert(ctx, "a1", "carla@example.org", base.Add(9*time.Minute)) }, nil,
			func(a store.Alert) bool { return a.ResolvedBy == "bob@example.org" }},
		{"ack unknown", func() error { return s.AcknowledgeAlert(ctx, "nope", "x", base) }, store.ErrNotFound, nil},
		{"resolve unknown", func() error { return s.ResolveAlert(ctx, "nope", "x", base) }, store.ErrNotFound, nil},
	}
	for _, tt := range tests {
		err := tt.do()
		if !errors.Is(err, tt.wantErr) {
			t.Fatalf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
		}
		if tt.check != nil {
			if a := mustAlert(t, s, "a1"); !tt.check(a) {
				t.Fatalf("%s: got %+v", tt.name, a)
			}
		}
	}
}

func testAlertQuery(t *testing.T, s store.Alerts) {
	ctx := t.Context()
	for i, a := range []store.Alert{
		{ID: "a1", Monitor: "m1", Kind: "volume_spike", Severity: "low", Status: store.AlertOpen, OpenedAt: base, UpdatedAt: base},
		{ID: "a2", Monitor: "m2", Kind: "viral_post", Severity: "high", Status: store.AlertOpen, OpenedAt: base, UpdatedAt: base.Add(2 * time.Minute)},
		{ID: "a3", Monitor: "m1", Kind: "negative_spike", Severity: "medium", Status: store.AlertResolved, OpenedAt: base, UpdatedAt: base.Add(time.Minute)},
		{ID: "a4", Monitor: "m1", Kind: "category:fraud_scam", Severity: "low", Status: store.AlertOpen, OpenedAt: base, UpdatedAt: base.Add(2 * time.Minute)},
	} {
		if err := s.SaveAlert(ctx, a); err != nil {
			t.Fatalf("SaveAlert #%d: %v", i, err)
		}
	}
	tests := []struct {
		q    store.AlertQuery
		want []string
	}{
		{store.AlertQuery{}, []string{"a2", "a4", "a3", "a1"}},
		{store.AlertQuery{Monitor: "m1"}, []string{"a4", "a3", "a1"}},
		{store.AlertQuery{Status: store.AlertOpen}, []string{"a2", "a4", "a1"}},
		{store.AlertQuery{Status: store.AlertResolved, Monitor: "m1"}, []string{"a3"}},
		{store.AlertQuery{Since: base.Add(time.Minute)}, []string{"a2", "a4", "a3"}},
		{store.AlertQuery{Limit: 2}, []string{"a2", "a4"}},
		{store.AlertQuery{Monitor: "nope"}, nil},
	}
	for _, tt := range tests {
		as, err := s.Alerts(ctx, tt.q)
		if err != nil {
			t.Fatalf("Alerts(%+v): %v", tt.q, err)
		}
		var ids []string
		for _, a := range as {
			ids = append(ids, a.ID)
			if a.PostIDs == nil {
				t.Errorf("Alerts(%+v): %s has nil post ids, want empty", tt.q, a.ID)
			}
		}
		if !reflect.DeepEqual(ids, tt.want) {
			t.Errorf("Alerts(%+v) = %v, want %v", tt.q, ids, tt.want)
		}
	}
}

func testSilences(t *testing.T, s store.Alerts) {
	ctx := t.Context()
	sil := []store.Silence{
		{ID: "s1", Monitor: "m1", Start: base, End: base.Add(2 * time.Hour), Comment: "product launch", CreatedBy: "anna@example.org", CreatedAt: base},
		{ID: "s2", Kind: "viral_post", Start: base.Add(time.Hour), End: base.Add(3 * time.Hour), CreatedBy: "bob@example.org", CreatedAt: base},
		{ID: "s3", Monitor: "m2", Kind: "volume_spike", Start: base.Add(-2 * time.Hour), End: base.Add(-time.Hour), CreatedAt: base},
	}
	for _, si := range sil {
		if err := s.CreateSilence(ctx, si); err != nil {
			t.Fatalf("CreateSilence(%s): %v", si.ID, err)
		}
	}
	if err := s.CreateSilence(ctx, sil[0]); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("CreateSilence twice = %v, want ErrAlreadyExists", err)
	}
	got, err := s.Silences(ctx, base.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], sil[0]) || !reflect.DeepEqual(got[1], sil[1]) {
		t.Fatalf("Silences = %+v, want s1 and s2 as stored", got)
	}
	if err := s.ExpireSilence(ctx, "s1", base.Add(45*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Expiring never lengthens a silence.
	if err := s.ExpireSilence(ctx, "s2", base.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.ExpireSilence(ctx, "nope", base); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ExpireSilence(unknown) = %v, want ErrNotFound", err)
	}
	got, err = s.Silences(ctx, base.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "s2" || !got[0].End.Equal(base.Add(3*time.Hour)) {
		t.Fatalf("Silences after expiry = %+v, want only s2 until 13:00", got)
	}
}

func testMonitorActivity(t *testing.T, s store.Alerts) {
	st, ok := s.(store.Store)
	if !ok {
		t.Fatalf("%T is not a store.Store", s)
	}
	ctx := t.Context()
	mk := func(id string, minutes int, sentiment string, monitors ...string) store.StoredPost {
		return store.StoredPost{
			Post:     post.Post{ID: id, Platform: "bluesky", Text: "acme " + id, CreatedAt: base.Add(time.Duration(minutes) * time.Minute)},
			Analysis: store.Analysis{Lang: "en", Sentiment: sentiment}, Monitors: monitors,
		}
	}
	if _, err := st.InsertStoredPosts(ctx, []store.StoredPost{
		mk("p1", 0, "negative", "m1"),
		mk("p2", 10, "neutral", "m1", "m2"),
		mk("p3", 59, "negative", "m1"),
		mk("p4", 61, "positive", "m1"),
		mk("p5", 130, "negative", "m1"),
		mk("p6", 20, "negative", "m2"),
		mk("p7", -5, "negative", "m1"),  // before the range
		mk("p8", 180, "negative", "m1"), // at its end, which is outside
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.MonitorActivity(ctx, "m1", base, base.Add(3*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ActivityBucket{
		{Start: base, Posts: 3, Negative: 2},
		{Start: base.Add(time.Hour), Posts: 1, Negative: 0},
		{Start: base.Add(2 * time.Hour), Posts: 1, Negative: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MonitorActivity = %+v, want %+v", got, want)
	}
	if got, err := s.MonitorActivity(ctx, "none", base, base.Add(time.Hour), time.Minute); err != nil || len(got) != 0 {
		t.Fatalf("activity of an unknown monitor = %v, %v", got, err)
	}
	if _, err := s.MonitorActivity(ctx, "m1", base, base.Add(time.Hour), 0); err == nil {
		t.Fatal("a zero step was accepted")
	}
}
