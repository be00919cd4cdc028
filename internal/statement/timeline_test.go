package statement_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// failingTimeline is the incident service with an entry kind that cannot be built.
type failingTimeline struct {
	*incident.Service
	failOn string
	built  int
}

func (m *failingTimeline) EventChange(inc store.Incident, ev incident.Event, at time.Time) (*store.IncidentChange, error) {
	m.built++
	if ev.Kind == m.failOn {
		return nil, errors.New("timeline unavailable")
	}
	return m.Service.EventChange(inc, ev, at)
}

// meddlingStore lets a colleague raise the incident's severity right after the composer's at-th read
// of it, so that the step's write finds the incident changed.
type meddlingStore struct {
	*sqlite.Store
	incs      *incident.Service
	reads, at int
}

func (m *meddlingStore) IncidentByID(ctx context.Context, id int64) (store.Incident, error) {
	inc, err := m.Store.IncidentByID(ctx, id)
	m.reads++
	if err == nil && m.reads == m.at {
		if _, err := m.incs.SetSeverity(ctx, id, incident.SeverityHigh, "carla@example.org"); err != nil {
			return inc, err
		}
	}
	return inc, err
}

// TestStepAndTimelineTogether: each statement step that the timeline shows is written with its entry,
// or not at all; a change to the incident in between makes the step read it again, not fail.
func TestStepAndTimelineTogether(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(t0)
	incs, err := incident.New(st, clk, incident.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tl := &failingTimeline{Service: incs}
	ms := &meddlingStore{Store: st, incs: incs}
	svc, err := statement.New(ms, tl, clk, statement.Config{}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incs.Declare(ctx, incident.Declaration{Title: "Storing", Lang: "en", Severity: incident.SeverityMedium, Author: anna.Email})
	if err != nil {
		t.Fatal(err)
	}
	kinds := func() []string {
		entries, err := st.IncidentTimeline(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Kind)
		}
		return out
	}
	before := len(kinds())

	s, _, err := svc.Create(ctx, inc.ID, statement.Draft{Lang: "en", Core: "We know about the fault. Update at 11:00."}, anna)
	if err != nil {
		t.Fatalf("Create with the incident changing meanwhile: %v", err)
	}
	got := kinds()[before:]
	if len(got) != 1 || got[0] != incident.EntryStatementDrafted || tl.built != 1 {
		t.Fatalf("timeline after the draft: %v (built %d times)", got, tl.built)
	}
	if s, err = svc.Submit(ctx, s.ID, s.Rev, anna); err != nil {
		t.Fatal(err)
	}

	// The approval's entry cannot be built: the approval is not written either.
	tl.failOn = incident.EntryStatementApproved
	if _, err := svc.Approve(ctx, s.ID, s.Rev, "", bram); err == nil {
		t.Fatal("Approve succeeded without its timeline entry")
	}
	cur, _ := st.StatementByID(ctx, s.ID)
	audit, _ := st.StatementAuditLog(ctx, s.ID)
	if cur.State != statement.StateInReview || cur.Rev != s.Rev || audit[len(audit)-1].Action != statement.ActionSubmitted {
		t.Fatalf("after the failed approval: state %s rev %d, last audit %s", cur.State, cur.Rev, audit[len(audit)-1].Action)
	}
	tl.failOn = ""
	if s, err = svc.Approve(ctx, s.ID, s.Rev, "", bram); err != nil || s.State != statement.StateApproved {
		t.Fatalf("Approve: %+v, %v", s, err)
	}
	clk.Advance(10 * time.Minute)
	// Publishing stops the first-response clock, so its entry is written on the incident's version;
	// a colleague raising the severity just after the composer read the incident makes it read it again.
	ms.reads, ms.at = 0, 1
	built := tl.built
	if _, err := svc.MarkPublished(ctx, s.ID, "manual:x", "https://x.com/a/status/1", bram); err != nil {
		t.Fatal(err)
	}
	if tl.built != built+2 || ms.reads != 2 {
		t.Errorf("the published entry was built %d times over %d reads, want 2 and 2", tl.built-built, ms.reads)
	}
	got = kinds()[before:]
	want := []string{incident.EntryStatementDrafted, incident.EntryStatementApproved, incident.EntrySeverityChanged, incident.EntryStatementPublished}
	if len(got) != len(want) {
		t.Fatalf("timeline %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("timeline %v, want %v", got, want)
		}
	}
	after, _ := st.IncidentByID(ctx, inc.ID)
	if !after.FirstResponseAt.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("first response at %v, want the manual post's time", after.FirstResponseAt)
	}
}
