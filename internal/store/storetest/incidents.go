package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// incidentCases are the subtests of incidents, which Run appends to its table.
func incidentCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"IncidentRoundTrip", testIncidentRoundTrip},
		{"IncidentChange", testIncidentChange},
		{"IncidentChangeAllOrNothing", testIncidentChangeAllOrNothing},
		{"IncidentConcurrentChanges", testIncidentConcurrentChanges},
	}
}

func newIncident(title string, declared time.Time) *store.Incident {
	return &store.Incident{
		Title: title, Lang: "nl", Severity: 2, Status: "investigating",
		Roles:        map[string]string{"lead": "anna@example.org"},
		Alerts:       []string{"a1", "a2"},
		CrisisType:   "rumour",
		Intensifiers: []string{"crisis_history"},
		Scenario:     "data_leak",
		DetectedAt:   declared.Add(-7*time.Minute + 11*time.Nanosecond),
		DeclaredAt:   declared,
		CreatedBy:    "anna@example.org",
	}
}

func testIncidentRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	if _, err := s.IncidentByID(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("IncidentByID on an empty store: %v, want ErrNotFound", err)
	}
	if list, err := s.IncidentList(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("IncidentList on an empty store = %v, %v; want an empty list", list, err)
	}
	first := newIncident("Gerucht over datalek — “klantgegevens” 🚨", base)
	entry := &store.TimelineEntry{At: base, Author: "system", Kind: "declared", Payload: `{"alerts":["a1","a2"]}`}
	if err := s.CreateIncident(ctx, first, []*store.TimelineEntry{entry}); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	if first.ID == 0 || first.Version != 1 || entry.ID == 0 || entry.IncidentID != first.ID {
		t.Fatalf("CreateIncident set id %d version %d, entry %+v", first.ID, first.Version, entry)
	}
	second := newIncident("Storing", base.Add(time.Hour))
	second.Roles, second.Alerts, second.Intensifiers = nil, nil, nil
	if err := s.CreateIncident(ctx, second, nil); err != nil {
		t.Fatalf("CreateIncident second: %v", err)
	}
	got, err := s.IncidentByID(ctx, first.ID)
	if err != nil {
		t.Fatalf("IncidentByID: %v", err)
	}
	if !sameIncident(got, *first) {
		t.Errorf("IncidentByID = %+v\nwant %+v", got, *first)
	}
	list, err := s.IncidentList(ctx)
	if err != nil {
		t.Fatalf("IncidentList: %v", err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Fatalf("IncidentList = %+v, want the second incident first", list)
	}
	if len(list[0].Roles) != 0 || len(list[0].Alerts) != 0 || len(list[0].Intensifiers) != 0 {
		t.Errorf("an incident without roles, alerts and intensifiers read back as %+v", list[0])
	}
	tl, err := s.IncidentTimeline(ctx, first.ID)
	if err != nil {
		t.Fatalf("IncidentTimeline: %v", err)
	}
	if len(tl) != 1 || !sameEntry(tl[0], *entry) {
		t.Errorf("IncidentTimeline = %+v, want [%+v]", tl, *entry)
	}
	for name, call := range map[string]func() error{
		"timeline": func() error { l, err := s.IncidentTimeline(ctx, second.ID); return emptyOr(l, err) },
		"tasks":    func() error { l, err := s.IncidentTasks(ctx, second.ID); return emptyOr(l, err) },
		"claims":   func() error { l, err := s.IncidentClaims(ctx, second.ID); return emptyOr(l, err) },
	} {
		if err := call(); err != nil {
			t.Errorf("%s of an incident without any: %v", name, err)
		}
	}
}

func emptyOr[T any](l []T, err error) error {
	if err != nil {
		return err
	}
	if l == nil || len(l) != 0 {
		return errors.New("want an empty, non-nil list")
	}
	return nil
}

func sameIncident(a, b store.Incident) bool {
	times := func(i store.Incident) []time.Time {
		return []time.Time{i.DetectedAt, i.DeclaredAt, i.AcknowledgedAt, i.FirstResponseAt, i.LastUpdateAt, i.ResolvedAt}
	}
	ta, tb := times(a), times(b)
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	a.DetectedAt, a.DeclaredAt, a.AcknowledgedAt, a.FirstResponseAt, a.LastUpdateAt, a.ResolvedAt = b.DetectedAt,
		b.DeclaredAt, b.AcknowledgedAt, b.FirstResponseAt, b.LastUpdateAt, b.ResolvedAt
	return reflect.DeepEqual(a, b)
}

func sameEntry(a, b store.TimelineEntry) bool {
	return a.ID == b.ID && a.IncidentID == b.IncidentID && a.At.Equal(b.At) && a.Author == b.Author &&
		a.Kind == b.Kind && a.Text == b.Text && a.Payload == b.Payload
}

func testIncidentChange(t *testing.T, s store.Store) {
	ctx := t.Context()
	inc := newIncident("Storing app", base)
	if err := s.CreateIncident(ctx, inc, nil); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	stale := *inc
	tasks := []*store.IncidentTask{
		{Position: 0, Step: "detect", DoNL: "Bevestig de melding", DoEN: "Confirm the alert", Owner: "crisis_lead", Due: base.Add(15 * time.Minute)},
		{Position: 1, Step: "respond", DoNL: "Plaats een eerste bericht", DoEN: "Post a holding statement", Owner: "communications", Due: base.Add(time.Hour)},
	}
	claim := &store.Claim{Text: "Alle klantgegevens zijn gelekt", Status: "unverified", Owner: "sanne@example.org",
		Posts: []store.PostRef{{Platform: "bluesky", ID: "at://did:plc:x/app.bsky.feed.post/1"}}, CreatedAt: base, UpdatedAt: base}
	inc.Status, inc.Severity, inc.AcknowledgedAt = "responding", 1, base.Add(4*time.Minute)
	inc.Alerts = append(inc.Alerts, "a3")
	entries := []*store.TimelineEntry{
		{At: base.Add(time.Minute), Author: "system", Kind: "status", Payload: `{"from":"investigating","to":"responding"}`},
		{At: base.Add(time.Minute), Author: "anna@example.org", Kind: "note", Text: "Woordvoerder gebeld"},
	}
	err := s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: inc.ID, Incident: inc, Tasks: tasks,
		Claims: []*store.Claim{claim}, Timeline: entries})
	if err != nil {
		t.Fatalf("ApplyIncidentChange: %v", err)
	}
	if inc.Version != 2 || tasks[0].ID == 0 || tasks[1].ID == 0 || claim.ID == 0 || entries[1].ID <= entries[0].ID {
		t.Fatalf("after the change: version %d, task ids %d %d, claim id %d, entry ids %d %d", inc.Version,
			tasks[0].ID, tasks[1].ID, claim.ID, entries[0].ID, entries[1].ID)
	}
	got, err := s.IncidentByID(ctx, inc.ID)
	if err != nil || !sameIncident(got, *inc) {
		t.Errorf("IncidentByID = %+v, %v\nwant %+v", got, err, *inc)
	}
	// A change made from a copy read before the first one must not overwrite it.
	stale.Title = "overschreven"
	err = s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: inc.ID, Incident: &stale})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a change at a stale version: %v, want ErrConflict", err)
	}
	// Tick a task and answer the claim, without touching the incident's own fields.
	tasks[1].Done, tasks[1].DoneBy, tasks[1].DoneAt = true, "bram@example.org", base.Add(20*time.Minute)
	claim.Status, claim.Answer, claim.UpdatedAt = "false", "Er zijn geen gegevens gelekt.", base.Add(30*time.Minute)
	claim.Posts = append(claim.Posts, store.PostRef{Platform: "x", ID: "1866"})
	tick := &store.TimelineEntry{At: base.Add(20 * time.Minute), Author: "bram@example.org", Kind: "task_ticked", Text: tasks[1].DoEN}
	if err := s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: inc.ID, Tasks: tasks[1:2],
		Claims: []*store.Claim{claim}, Timeline: []*store.TimelineEntry{tick}}); err != nil {
		t.Fatalf("ApplyIncidentChange tick: %v", err)
	}
	gotTasks, err := s.IncidentTasks(ctx, inc.ID)
	if err != nil {
		t.Fatalf("IncidentTasks: %v", err)
	}
	if len(gotTasks) != 2 {
		t.Fatalf("IncidentTasks returned %d tasks, want 2", len(gotTasks))
	}
	for i, want := range tasks {
		g := gotTasks[i]
		if g.ID != want.ID || g.IncidentID != inc.ID || g.Step != want.Step || g.DoNL != want.DoNL || g.DoEN != want.DoEN ||
			g.Owner != want.Owner || !g.Due.Equal(want.Due) || g.Done != want.Done || g.DoneBy != want.DoneBy ||
			!g.DoneAt.Equal(want.DoneAt) {
			t.Errorf("task %d = %+v, want %+v", i, g, *want)
		}
	}
	claims, err := s.IncidentClaims(ctx, inc.ID)
	if err != nil {
		t.Fatalf("IncidentClaims: %v", err)
	}
	if len(claims) != 1 || claims[0].Status != "false" || claims[0].Answer != claim.Answer ||
		!reflect.DeepEqual(claims[0].Posts, claim.Posts) || !claims[0].CreatedAt.Equal(base) ||
		!claims[0].UpdatedAt.Equal(claim.UpdatedAt) || claims[0].Owner != claim.Owner || claims[0].Text != claim.Text {
		t.Errorf("IncidentClaims = %+v, want [%+v]", claims, *claim)
	}
	tl, err := s.IncidentTimeline(ctx, inc.ID)
	if err != nil {
		t.Fatalf("IncidentTimeline: %v", err)
	}
	want := []store.TimelineEntry{*entries[0], *entries[1], *tick}
	if len(tl) != len(want) {
		t.Fatalf("IncidentTimeline has %d entries, want %d", len(tl), len(want))
	}
	for i := range want {
		if !sameEntry(tl[i], want[i]) {
			t.Errorf("timeline[%d] = %+v, want %+v", i, tl[i], want[i])
		}
	}
	if err := s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: inc.ID + 1000}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a change of an unknown incident: %v, want ErrNotFound", err)
	}
}

// A change that fails half-way writes nothing: not the incident, not the timeline entry before it.
func testIncidentChangeAllOrNothing(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newIncident("A", base), newIncident("B", base)
	for _, inc := range []*store.Incident{a, b} {
		if err := s.CreateIncident(ctx, inc, nil); err != nil {
			t.Fatalf("CreateIncident: %v", err)
		}
	}
	task := &store.IncidentTask{Step: "detect", DoNL: "x", DoEN: "x", Owner: "crisis_lead"}
	if err := s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: b.ID, Tasks: []*store.IncidentTask{task}}); err != nil {
		t.Fatalf("add task to B: %v", err)
	}
	claim := &store.Claim{Text: "c", Status: "unverified", CreatedAt: base, UpdatedAt: base}
	if err := s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: b.ID, Claims: []*store.Claim{claim}}); err != nil {
		t.Fatalf("add claim to B: %v", err)
	}
	for name, change := range map[string]store.IncidentChange{
		"task of another incident":  {Tasks: []*store.IncidentTask{{ID: task.ID, Step: "detect", Done: true}}},
		"claim of another incident": {Claims: []*store.Claim{{ID: claim.ID, Text: "c", Status: "false"}}},
	} {
		changed := *a
		changed.Status = "responding"
		change.IncidentID, change.Incident = a.ID, &changed
		change.Timeline = []*store.TimelineEntry{{At: base, Author: "system", Kind: "status"}}
		if err := s.ApplyIncidentChange(ctx, change); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
		if change.Timeline[0].ID != 0 || changed.Version != a.Version {
			t.Errorf("%s: a failed change set ids or the version", name)
		}
	}
	got, err := s.IncidentByID(ctx, a.ID)
	if err != nil || got.Status != "investigating" || got.Version != 1 {
		t.Errorf("after failed changes, incident A = %+v, %v; want it unchanged", got, err)
	}
	if tl, err := s.IncidentTimeline(ctx, a.ID); err != nil || len(tl) != 0 {
		t.Errorf("after failed changes, A's timeline = %+v, %v; want it empty", tl, err)
	}
	if ts, err := s.IncidentTasks(ctx, b.ID); err != nil || len(ts) != 1 || ts[0].Done {
		t.Errorf("B's tasks = %+v, %v; want the one task, not done", ts, err)
	}
}

// Of several changes made at once from the same version, exactly one is written; the others get
// ErrConflict, and the timeline has the entry of the one that won only.
func testIncidentConcurrentChanges(t *testing.T, s store.Store) {
	ctx := t.Context()
	inc := newIncident("Race", base)
	if err := s.CreateIncident(ctx, inc, nil); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := *inc
			c.Severity = 1 + i%4
			errs[i] = s.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: inc.ID, Incident: &c,
				Timeline: []*store.TimelineEntry{{At: base, Author: "system", Kind: "severity"}}})
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("change %d: %v, want nil or ErrConflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d changes were written, want exactly 1", won)
	}
	if tl, err := s.IncidentTimeline(ctx, inc.ID); err != nil || len(tl) != 1 {
		t.Errorf("timeline = %d entries, %v; want 1", len(tl), err)
	}
	if got, err := s.IncidentByID(ctx, inc.ID); err != nil || got.Version != 2 {
		t.Errorf("version after the race = %d, %v; want 2", got.Version, err)
	}
}
