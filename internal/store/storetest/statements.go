package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// statementCases are the subtests of statements, which Run appends to its table.
func statementCases() []struct {
	name string
	fn   func(t *testing.T, s store.Store)
} {
	return []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"StatementRoundTrip", testStatementRoundTrip},
		{"StatementConflict", testStatementConflict},
		{"PublicationOnce", testPublicationOnce},
	}
}

var statementT0 = time.Date(2026, 3, 4, 10, 0, 0, 123, time.UTC)

func newStatement(t *testing.T, s store.Store) *store.Statement {
	t.Helper()
	inc := newIncident("storing", statementT0)
	if err := s.CreateIncident(t.Context(), inc, nil); err != nil {
		t.Fatalf("CreateIncident: %v", err)
	}
	st := &store.Statement{
		IncidentID: inc.ID, Lang: "nl", Form: "u", TemplateID: "holding-nl-u", TemplateVersion: 2,
		Vars:      map[string]string{"organisation": "Voorbeeld", "next_update": "14:00"},
		Core:      "We weten van de storing en zoeken uit wat er aan de hand is.\x00 Update om 14:00.",
		Edits:     map[string]string{"x": "Storing bekend. Update om 14:00."},
		Platforms: []string{"x", "mastodon"},
		State:     "draft", Author: "anna@example.org", CreatedAt: statementT0, UpdatedAt: statementT0,
	}
	c := store.StatementChange{Statement: st,
		Audit:      &store.StatementAudit{At: statementT0, Actor: st.Author, Action: "drafted", Version: 1},
		NewVersion: &store.StatementVersion{Version: 1, Core: st.Core, Vars: st.Vars, Edits: st.Edits, Author: st.Author, At: statementT0}}
	if err := s.CreateStatement(t.Context(), c); err != nil {
		t.Fatalf("CreateStatement: %v", err)
	}
	if st.ID == 0 || st.Rev != 1 || st.Version != 1 || c.Audit.ID == 0 {
		t.Fatalf("CreateStatement set id %d rev %d version %d audit %d", st.ID, st.Rev, st.Version, c.Audit.ID)
	}
	return st
}

// sameText compares what a store may keep of a text: PostgreSQL cannot hold NUL bytes.
func sameText(a, b string) bool {
	clean := func(s string) string {
		out := make([]rune, 0, len(s))
		for _, r := range s {
			if r != 0 {
				out = append(out, r)
			}
		}
		return string(out)
	}
	return clean(a) == clean(b)
}

func testStatementRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	st := newStatement(t, s)
	got, err := s.StatementByID(ctx, st.ID)
	if err != nil {
		t.Fatalf("StatementByID: %v", err)
	}
	want := *st
	if !sameText(got.Core, want.Core) {
		t.Errorf("core %q, want %q", got.Core, want.Core)
	}
	got.Core, want.Core = "", ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StatementByID = %+v\nwant %+v", got, want)
	}
	if _, err := s.StatementByID(ctx, st.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StatementByID(missing) = %v, want ErrNotFound", err)
	}

	// An edit: a new version and an audit entry, written together.
	st.Core, st.Version, st.UpdatedAt = "Nieuwe tekst.", 2, statementT0.Add(time.Minute)
	st.Edits = nil
	c := store.StatementChange{Statement: st,
		Audit:      &store.StatementAudit{At: st.UpdatedAt, Actor: "bram@example.org", Action: "edited", Version: 2, Comment: "korter"},
		NewVersion: &store.StatementVersion{Version: 2, Core: st.Core, Author: "bram@example.org", At: st.UpdatedAt}}
	if err := s.SaveStatement(ctx, c); err != nil {
		t.Fatalf("SaveStatement: %v", err)
	}
	if st.Rev != 2 {
		t.Errorf("Rev after save = %d, want 2", st.Rev)
	}
	list, err := s.StatementsByIncident(ctx, st.IncidentID)
	if err != nil || len(list) != 1 || list[0].Core != "Nieuwe tekst." || list[0].Version != 2 || len(list[0].Edits) != 0 {
		t.Fatalf("StatementsByIncident = %+v, %v", list, err)
	}
	if other, err := s.StatementsByIncident(ctx, st.IncidentID+100); err != nil || len(other) != 0 {
		t.Errorf("StatementsByIncident(other) = %+v, %v; want none", other, err)
	}
	vs, err := s.StatementVersions(ctx, st.ID)
	if err != nil || len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 || vs[1].Core != "Nieuwe tekst." ||
		vs[0].Vars["next_update"] != "14:00" || vs[0].Edits["x"] == "" || !vs[1].At.Equal(st.UpdatedAt) {
		t.Fatalf("StatementVersions = %+v, %v", vs, err)
	}
	audit, err := s.StatementAuditLog(ctx, st.ID)
	if err != nil || len(audit) != 2 || audit[0].Action != "drafted" || audit[1].Action != "edited" ||
		audit[1].Comment != "korter" || audit[1].Actor != "bram@example.org" || audit[1].ID <= audit[0].ID {
		t.Fatalf("StatementAuditLog = %+v, %v", audit, err)
	}
}

func testStatementConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	st := newStatement(t, s)
	// Two people save from the same read: exactly one wins, the other gets ErrConflict and writes nothing.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			cp := *st
			cp.State = []string{"in_review", "draft"}[i]
			errs[i] = s.SaveStatement(ctx, store.StatementChange{Statement: &cp,
				Audit: &store.StatementAudit{At: statementT0, Actor: "x@example.org", Action: cp.State, Version: 1}})
		})
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict):
			conflicts++
		default:
			t.Fatalf("SaveStatement: %v", err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Fatalf("saves: %d ok, %d conflicts; want 1 and 1", ok, conflicts)
	}
	audit, err := s.StatementAuditLog(ctx, st.ID)
	if err != nil || len(audit) != 2 {
		t.Errorf("audit after a conflict = %+v, %v; want the drafted entry and one save", audit, err)
	}
	missing := *st
	missing.ID += 100
	if err := s.SaveStatement(ctx, store.StatementChange{Statement: &missing}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveStatement(missing) = %v, want ErrNotFound", err)
	}
}

func testPublicationOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	st := newStatement(t, s)
	p := store.Publication{StatementID: st.ID, Version: 1, Channel: "src-1", Platform: "mastodon",
		Actor: "anna@example.org", StartedAt: statementT0}

	// Ten concurrent attempts at the same key: one claims it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	claimed := 0
	for range 10 {
		wg.Go(func() {
			_, ok, err := s.BeginPublication(ctx, p)
			if err != nil {
				t.Errorf("BeginPublication: %v", err)
				return
			}
			if ok {
				mu.Lock()
				claimed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if claimed != 1 {
		t.Fatalf("%d attempts claimed the key, want 1", claimed)
	}
	tests := []struct {
		name      string
		finish    *store.Publication
		wantClaim bool
		wantState string
	}{
		{"pending stays claimed", nil, false, store.PublicationPending},
		{"failed can be retried", &store.Publication{Status: store.PublicationFailed, Error: "503"}, true, store.PublicationPending},
		{"published is final", &store.Publication{Status: store.PublicationPublished, Links: []string{"https://m.example/1", "https://m.example/2"}}, false, store.PublicationPublished},
	}
	for _, tt := range tests {
		if tt.finish != nil {
			f := p
			f.Status, f.Error, f.Links, f.FinishedAt = tt.finish.Status, tt.finish.Error, tt.finish.Links, statementT0.Add(time.Second)
			if err := s.FinishPublication(ctx, f); err != nil {
				t.Fatalf("%s: FinishPublication: %v", tt.name, err)
			}
		}
		got, ok, err := s.BeginPublication(ctx, p)
		if err != nil || ok != tt.wantClaim || got.Status != tt.wantState {
			t.Errorf("%s: BeginPublication = %+v, %v, %v; want claim %v, status %s", tt.name, got, ok, err, tt.wantClaim, tt.wantState)
		}
	}
	// Another version or channel is another key.
	for _, q := range []store.Publication{{StatementID: st.ID, Version: 2, Channel: "src-1"}, {StatementID: st.ID, Version: 1, Channel: "manual:x"}} {
		if _, ok, err := s.BeginPublication(ctx, q); err != nil || !ok {
			t.Errorf("BeginPublication(%d, %s) = %v, %v; want a new claim", q.Version, q.Channel, ok, err)
		}
	}
	list, err := s.Publications(ctx, st.ID)
	if err != nil || len(list) != 3 || list[0].Channel != "manual:x" || len(list[1].Links) != 2 || list[2].Version != 2 {
		t.Fatalf("Publications = %+v, %v", list, err)
	}
	if err := s.FinishPublication(ctx, store.Publication{StatementID: st.ID, Version: 9, Channel: "src-1"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishPublication(missing) = %v, want ErrNotFound", err)
	}
}
