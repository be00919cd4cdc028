package storetest

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

func statementTimelineCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StatementTimelineTogether", testStatementTimelineTogether},
	}
}

// testStatementTimelineTogether: a statement step and its timeline entry are written in one
// transaction: both, or neither when the incident changed meanwhile or the entry cannot be built.
func testStatementTimelineTogether(t *testing.T, s store.Store) {
	ctx := t.Context()
	inc := newIncident("storing", statementT0)
	if err := s.CreateIncident(ctx, inc, nil); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	stored, err := s.IncidentByID(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	at := statementT0.Add(time.Minute)
	var entry *store.TimelineEntry
	var incChange *store.IncidentChange
	timeline := func(kind string, base store.Incident) func(st store.Statement) (*store.IncidentChange, error) {
		return func(st store.Statement) (*store.IncidentChange, error) {
			if st.ID == 0 {
				return nil, errors.New("the statement has no ID yet")
			}
			b := base
			b.LastUpdateAt = at
			entry = &store.TimelineEntry{At: at, Author: "anna@example.org", Kind: kind, Text: "#" + strconv.FormatInt(st.ID, 10)}
			incChange = &store.IncidentChange{IncidentID: st.IncidentID, Incident: &b, Timeline: []*store.TimelineEntry{entry}}
			return incChange, nil
		}
	}
	st := &store.Statement{IncidentID: inc.ID, Lang: "en", Core: "We know.", Platforms: []string{"x"}, State: "draft",
		Author: "anna@example.org", CreatedAt: at, UpdatedAt: at}
	c := store.StatementChange{Statement: st, Audit: &store.StatementAudit{At: at, Actor: st.Author, Action: "drafted", Version: 1},
		NewVersion: &store.StatementVersion{Version: 1, Core: st.Core, Author: st.Author, At: at},
		Timeline:   timeline("statement_drafted", stored)}
	if err := s.CreateStatement(ctx, c); err != nil {
		t.Fatalf("CreateStatement with its timeline: %v", err)
	}
	if entry.ID == 0 || entry.IncidentID != inc.ID || entry.Text != "#"+strconv.FormatInt(st.ID, 10) || incChange.Incident.Version != stored.Version+1 {
		t.Fatalf("after create: entry %+v, incident version %d", entry, incChange.Incident.Version)
	}
	tl, err := s.IncidentTimeline(ctx, inc.ID)
	if err != nil || len(tl) != 1 || tl[0].Kind != "statement_drafted" {
		t.Fatalf("timeline %+v, %v", tl, err)
	}
	if got, _ := s.IncidentByID(ctx, inc.ID); !got.LastUpdateAt.Equal(at) {
		t.Errorf("incident last update %v, want %v", got.LastUpdateAt, at)
	}

	// A step built on an old version of the incident writes nothing at all.
	rev := st.Rev
	st.State = "in_review"
	c = store.StatementChange{Statement: st, Audit: &store.StatementAudit{At: at, Actor: "anna@example.org", Action: "submitted", Version: 1},
		Timeline: timeline("statement_approved", stored)}
	if err := s.SaveStatement(ctx, c); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("SaveStatement with a stale incident = %v, want ErrConflict", err)
	}
	if got, _ := s.StatementByID(ctx, st.ID); got.Rev != rev || got.State != "draft" {
		t.Errorf("the statement changed though its timeline entry failed: rev %d state %s", got.Rev, got.State)
	}
	if audit, _ := s.StatementAuditLog(ctx, st.ID); len(audit) != 1 {
		t.Errorf("audit has %d entries after a failed step, want 1", len(audit))
	}
	// So does a step whose entry cannot be built.
	st.Rev = rev
	c.Timeline = func(store.Statement) (*store.IncidentChange, error) { return nil, errors.New("no entry") }
	if err := s.SaveStatement(ctx, c); err == nil {
		t.Fatal("SaveStatement with a failing timeline succeeded")
	}
	if tl, _ := s.IncidentTimeline(ctx, inc.ID); len(tl) != 1 {
		t.Errorf("timeline has %d entries after failed steps, want 1", len(tl))
	}
	// With the incident as it is now, both are written.
	st.Rev = rev
	fresh, _ := s.IncidentByID(ctx, inc.ID)
	c.Timeline = timeline("statement_approved", fresh)
	if err := s.SaveStatement(ctx, c); err != nil {
		t.Fatalf("SaveStatement: %v", err)
	}
	if st.Rev != rev+1 || entry.ID == 0 {
		t.Errorf("after save: rev %d, entry %+v", st.Rev, entry)
	}
	if tl, _ := s.IncidentTimeline(ctx, inc.ID); len(tl) != 2 || tl[1].Kind != "statement_approved" {
		t.Errorf("timeline after the step: %+v", tl)
	}
}
