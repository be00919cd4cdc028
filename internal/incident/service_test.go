package incident

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

func newService(t *testing.T, cfg Config) (*Service, *clock.Sim, *sqlite.Store, *prometheus.Registry) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), ":memory:", nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewSim(detected)
	reg := prometheus.NewRegistry()
	s, err := New(st, clk, cfg, nil, reg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clk, st, reg
}

var definitions = []Definition{
	{Level: "critical", Name: Text{NL: "Crisis", EN: "Crisis"}, Meaning: Text{NL: "Gevaar voor mensen of gegevens.",
		EN: "Danger to people or data."}, Action: Text{NL: "Crisisteam bijeen.", EN: "Convene the crisis team."}, RespondWithin: 30},
	{Level: "high", Name: Text{NL: "Ernstig", EN: "Serious"}, Meaning: Text{NL: "Veel aandacht, groeiend.",
		EN: "Much attention, growing."}},
}

// runCrisis plays a data-leak rumour through the incident room in simulated time, as a team would.
func runCrisis(t *testing.T, s *Service, clk *clock.Sim, lang string) int64 {
	t.Helper()
	ctx := t.Context()
	step := func(d time.Duration) { clk.Advance(d) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	step(3 * time.Minute)
	inc, err := s.Declare(ctx, Declaration{Title: "Gerucht: klantgegevens gelekt", Lang: lang, Severity: SeverityHigh,
		Alerts: []string{"alert-1", "alert-2", "alert-1"}, DetectedAt: detected, Author: "anna@example.org"})
	must(err)
	id := inc.ID
	_, err = s.Record(ctx, id, Event{Kind: EntryPaged, Details: Details{Person: "Bram Jansen", Channel: "sms"}})
	must(err)
	step(2 * time.Minute)
	_, err = s.Record(ctx, id, Event{Kind: EntryAcknowledged, Author: "bram@example.org", Details: Details{Person: "Bram Jansen"}})
	must(err)
	_, err = s.AssignRole(ctx, id, RoleLead, "Anna de Vries", "anna@example.org")
	must(err)
	_, err = s.AssignRole(ctx, id, RoleSpokesperson, "Bram Jansen", "anna@example.org")
	must(err)
	_, err = s.SetStatus(ctx, id, StatusResponding, "anna@example.org")
	must(err)
	_, err = s.Classify(ctx, id, TypeRumour, []string{IntensifierHistory}, "anna@example.org")
	must(err)
	tasks, err := s.StartPlaybook(ctx, id, "data_leak", "anna@example.org")
	must(err)
	step(5 * time.Minute)
	_, err = s.SetTaskDone(ctx, id, tasks[0].ID, true, "sanne@example.org")
	must(err)
	claim, err := s.AddClaim(ctx, id, ClaimInput{Text: "Alle klantgegevens staan online", Owner: "Sanne Visser",
		Posts: []store.PostRef{{Platform: "bluesky", ID: "at://did:plc:abc/app.bsky.feed.post/3k"}}}, "sanne@example.org")
	must(err)
	_, err = s.Record(ctx, id, Event{Kind: EntryAlertGrew, Details: Details{Alert: "alert-3", Summary: "volume 5× normal"}})
	must(err)
	step(10 * time.Minute)
	_, err = s.UpdateClaim(ctx, id, claim.ID, ClaimInput{Text: claim.Text, Status: ClaimFalse, Owner: claim.Owner,
		Answer: "Er zijn geen klantgegevens gelekt; de lijst komt uit een oud, openbaar bestand.", Posts: claim.Posts}, "sanne@example.org")
	must(err)
	_, err = s.LinkPost(ctx, id, claim.ID, store.PostRef{Platform: "x", ID: "1866000000000000001"}, "fatima@example.org")
	must(err)
	_, err = s.Record(ctx, id, Event{Kind: EntryStatementDrafted, Author: "bram@example.org", Details: Details{Channel: "bluesky", Statement: "correction-nl-u"}})
	must(err)
	_, err = s.Record(ctx, id, Event{Kind: EntryStatementApproved, Author: "anna@example.org", Details: Details{Channel: "bluesky", Statement: "correction-nl-u"}})
	must(err)
	step(15 * time.Minute) // 35 minutes after detection: past the first warning
	_, err = s.Record(ctx, id, Event{Kind: EntryStatementPublished, Author: "bram@example.org", Details: Details{Channel: "bluesky", Statement: "correction-nl-u"}})
	must(err)
	_, err = s.Record(ctx, id, Event{Kind: EntryScheduledPaused, Details: Details{Count: 3}})
	must(err)
	_, err = s.AddNote(ctx, id, "Journalist van het ANP gebeld; zij neemt de rechtzetting over.", "bram@example.org")
	must(err)
	_, err = s.SetStatus(ctx, id, StatusMonitoring, "anna@example.org")
	must(err)
	step(time.Hour)
	return id
}

func TestIncidentFlow(t *testing.T) {
	s, clk, _, reg := newService(t, Config{Definitions: definitions})
	id := runCrisis(t, s, clk, "en")
	r, err := s.Room(t.Context(), id)
	if err != nil {
		t.Fatalf("Room: %v", err)
	}
	inc := r.Incident
	if inc.Status != StatusMonitoring || inc.Severity != 2 || inc.CrisisType != TypeRumour || inc.Scenario != "data_leak" {
		t.Errorf("incident = %+v", inc)
	}
	if !slices.Equal(inc.Alerts, []string{"alert-1", "alert-2", "alert-3"}) {
		t.Errorf("alerts %v: want the two declared ones, once each, and the one that grew", inc.Alerts)
	}
	if inc.Roles[RoleLead] != "Anna de Vries" || inc.Roles[RoleSpokesperson] != "Bram Jansen" {
		t.Errorf("roles %v", inc.Roles)
	}
	if !inc.AcknowledgedAt.Equal(detected.Add(5*time.Minute)) || !inc.FirstResponseAt.Equal(detected.Add(35*time.Minute)) {
		t.Errorf("acknowledged %v, first response %v", inc.AcknowledgedAt, inc.FirstResponseAt)
	}
	if c := r.Clocks; c.FirstResponse != ClockMet || c.WarningsPassed != 1 || c.TimeToAcknowledge != 5*time.Minute ||
		!c.NextUpdateDue.Equal(detected.Add(95*time.Minute)) || !c.NextUpdateOverdue {
		t.Errorf("clocks = %+v", c)
	}
	if !r.HasDef || r.Definition.Name.EN != "Serious" {
		t.Errorf("definition = %+v, %v; want the plan's definition of high", r.Definition, r.HasDef)
	}
	if r.Advice == nil || r.Advice.Posture != PostureDeny {
		t.Errorf("advice = %+v, want deny for a rumour", r.Advice)
	}
	if len(r.Tasks) != 8 || !r.Tasks[0].Done || r.Tasks[0].DoneBy != "sanne@example.org" ||
		!r.Tasks[0].DoneAt.Equal(detected.Add(10*time.Minute)) || !r.Tasks[0].Due.Equal(detected.Add(15*time.Minute)) {
		t.Errorf("tasks = %+v", r.Tasks)
	}
	if len(r.Claims) != 1 || r.Claims[0].Status != ClaimFalse || len(r.Claims[0].Posts) != 2 || r.Claims[0].Answer == "" {
		t.Errorf("claims = %+v", r.Claims)
	}
	var kinds []string
	for _, e := range r.Timeline {
		kinds = append(kinds, e.Kind)
	}
	want := []string{EntryDeclared, EntryAlertLinked, EntryAlertLinked, EntryPaged, EntryAcknowledged,
		EntryRoleAssigned, EntryRoleAssigned, EntryStatusChanged, EntryClassified, EntryPlaybookStarted,
		EntryTaskDone, EntryClaimAdded, EntryAlertGrew, EntryClaimChanged, EntryClaimPostLinked,
		EntryStatementDrafted, EntryStatementApproved, EntryStatementPublished, EntryScheduledPaused,
		EntryNote, EntryStatusChanged}
	if !slices.Equal(kinds, want) {
		t.Errorf("timeline kinds\n got %v\nwant %v", kinds, want)
	}
	for _, e := range r.Timeline {
		for _, lang := range Languages() {
			if d := Describe(e, lang); d == "" || strings.Contains(d, "%!") {
				t.Errorf("entry %s in %s reads %q", e.Kind, lang, d)
			}
		}
	}
	if got := Describe(r.Timeline[7], "nl"); got != "Status gewijzigd van onderzoek naar reactie" {
		t.Errorf("status entry in Dutch = %q", got)
	}
	if got := Describe(r.Timeline[13], "en"); got != "Claim changed (false): Alle klantgegevens staan online" {
		t.Errorf("claim entry = %q", got)
	}
	if got := counter(t, reg, "crisisdesk_incident_timeline_entries_total", EntryAlertLinked); got != 2 {
		t.Errorf("alert_linked entries counted %v, want 2", got)
	}
	if got := counter(t, reg, "crisisdesk_incidents_declared_total", ""); got != 1 {
		t.Errorf("incidents declared counted %v, want 1", got)
	}
}

func TestIncidentRules(t *testing.T) {
	s, clk, _, _ := newService(t, Config{})
	ctx := t.Context()
	inc, err := s.Declare(ctx, Declaration{Title: "Storing", Lang: "nl", Severity: SeverityMedium, Author: "anna@example.org"})
	if err != nil {
		t.Fatalf("Declare by hand: %v", err)
	}
	if !inc.DetectedAt.Equal(clk.Now()) || len(inc.Alerts) != 0 || inc.Status != StatusInvestigating {
		t.Errorf("declared by hand: %+v", inc)
	}
	id := inc.ID
	tests := []struct {
		name string
		do   func() error
		code string // the *Error code, or "" for another error
		is   error
	}{
		{"empty title", func() error { _, err := s.Declare(ctx, Declaration{Lang: "nl", Severity: 1, Author: "a"}); return err }, "empty_title", ErrInvalid},
		{"bad language", func() error {
			_, err := s.Declare(ctx, Declaration{Title: "x", Lang: "de", Severity: 1, Author: "a"})
			return err
		}, "bad_lang", ErrInvalid},
		{"severity 5", func() error {
			_, err := s.Declare(ctx, Declaration{Title: "x", Lang: "en", Severity: 5, Author: "a"})
			return err
		}, "bad_severity", ErrInvalid},
		{"no author", func() error { _, err := s.SetSeverity(ctx, id, 1, ""); return err }, "empty_author", ErrInvalid},
		{"same severity", func() error { _, err := s.SetSeverity(ctx, id, SeverityMedium, "a"); return err }, "same_severity", ErrInvalid},
		{"skip to reviewed", func() error { _, err := s.SetStatus(ctx, id, StatusReviewed, "a"); return err }, "", ErrInvalid},
		{"unknown role", func() error { _, err := s.AssignRole(ctx, id, "boss", "x", "a"); return err }, "bad_role", ErrInvalid},
		{"unknown crisis type", func() error { _, err := s.Classify(ctx, id, "flood", nil, "a"); return err }, "", ErrInvalid},
		{"unknown playbook", func() error { _, err := s.StartPlaybook(ctx, id, "flood", "a"); return err }, "unknown_scenario", ErrInvalid},
		{"unknown task", func() error { _, err := s.SetTaskDone(ctx, id, 99, true, "a"); return err }, "unknown_task", ErrInvalid},
		{"empty note", func() error { _, err := s.AddNote(ctx, id, " ", "a"); return err }, "empty_note", ErrInvalid},
		{"bad claim status", func() error {
			_, err := s.AddClaim(ctx, id, ClaimInput{Text: "x", Status: "maybe"}, "a")
			return err
		}, "bad_claim_status", ErrInvalid},
		{"unknown claim", func() error { _, err := s.UpdateClaim(ctx, id, 99, ClaimInput{Text: "x"}, "a"); return err }, "unknown_claim", ErrInvalid},
		{"post without id", func() error {
			_, err := s.AddClaim(ctx, id, ClaimInput{Text: "x", Posts: []store.PostRef{{Platform: "x"}}}, "a")
			return err
		}, "bad_post", ErrInvalid},
		{"note is not an event", func() error { _, err := s.Record(ctx, id, Event{Kind: EntryNote}); return err }, "bad_event", ErrInvalid},
		{"unknown incident", func() error { _, err := s.SetSeverity(ctx, id+1, 1, "a"); return err }, "", store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if !errors.Is(err, tt.is) {
				t.Fatalf("error %v, want %v", err, tt.is)
			}
			var e *Error
			if tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code) {
				t.Errorf("error %v, want code %s", err, tt.code)
			}
		})
	}
	if _, err := s.StartPlaybook(ctx, id, "service_outage", "a"); err != nil {
		t.Fatalf("StartPlaybook: %v", err)
	}
	if _, err := s.StartPlaybook(ctx, id, "service_outage", "a"); !errors.Is(err, ErrInvalid) {
		t.Errorf("starting the same playbook twice: %v, want ErrInvalid", err)
	}
	// A failed action writes nothing: the timeline has the declaration and the playbook only.
	if tl, err := s.store.IncidentTimeline(ctx, id); err != nil || len(tl) != 2 {
		t.Errorf("timeline after rejected actions = %d entries, %v; want 2", len(tl), err)
	}
	// Once reviewed, the incident takes notes only.
	for _, st := range []string{StatusResolved, StatusReviewed} {
		if _, err := s.SetStatus(ctx, id, st, "a"); err != nil {
			t.Fatalf("SetStatus %s: %v", st, err)
		}
	}
	var e *Error
	if _, err := s.SetSeverity(ctx, id, 1, "a"); !errors.As(err, &e) || e.Code != "closed" {
		t.Errorf("changing a reviewed incident: %v, want closed", err)
	}
	var te *TransitionError
	if _, err := s.SetStatus(ctx, id, StatusResponding, "a"); !errors.As(err, &te) {
		t.Errorf("reopening a reviewed incident: %v, want a TransitionError", err)
	}
	if _, err := s.AddNote(ctx, id, "Evaluatie gedeeld met de directie.", "a"); err != nil {
		t.Errorf("a note on a reviewed incident: %v", err)
	}
}

// racingStore lets another writer change the incident just before the service's first write, as a
// second person in the room would.
type racingStore struct {
	*sqlite.Store
	raced bool
}

func (r *racingStore) ApplyIncidentChange(ctx context.Context, c store.IncidentChange) error {
	if !r.raced && c.Incident != nil {
		r.raced = true
		other, err := r.IncidentByID(ctx, c.IncidentID)
		if err != nil {
			return err
		}
		other.Roles = map[string]string{RoleScribe: "Lotte Smit"}
		if err := r.Store.ApplyIncidentChange(ctx, store.IncidentChange{IncidentID: c.IncidentID, Incident: &other,
			Timeline: []*store.TimelineEntry{{At: other.DeclaredAt, Author: "lotte@example.org", Kind: EntryRoleAssigned,
				Payload: `{"role":"scribe","person":"Lotte Smit"}`}}}); err != nil {
			return err
		}
	}
	return r.Store.ApplyIncidentChange(ctx, c)
}

func TestConcurrentChangeIsRetried(t *testing.T) {
	_, clk, st, _ := newService(t, Config{})
	rs := &racingStore{Store: st}
	reg := prometheus.NewRegistry()
	s, err := New(rs, clk, Config{}, nil, reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	inc, err := s.Declare(ctx, Declaration{Title: "x", Lang: "en", Severity: 3, Author: "a"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SetSeverity(ctx, inc.ID, SeverityCritical, "anna@example.org")
	if err != nil {
		t.Fatalf("SetSeverity after a concurrent change: %v", err)
	}
	if got.Severity != 1 || got.Roles[RoleScribe] != "Lotte Smit" || got.Version != 3 {
		t.Errorf("incident = %+v; want both changes kept", got)
	}
	if got := counter(t, reg, "crisisdesk_incident_conflicts_total", ""); got != 1 {
		t.Errorf("conflicts counted %v, want 1", got)
	}
	tl, err := st.IncidentTimeline(ctx, inc.ID)
	if err != nil || len(tl) != 3 || tl[1].Kind != EntryRoleAssigned || tl[2].Kind != EntrySeverityChanged {
		t.Errorf("timeline = %+v, %v", tl, err)
	}
}

// counter reads a counter from reg, the series with kind label kind when kind is not empty.
func counter(t *testing.T, reg *prometheus.Registry, name, kind string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if kind == "" || slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool { return l.GetValue() == kind }) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestAlertChanged(t *testing.T) {
	s, clk, st, _ := newService(t, Config{})
	ctx := t.Context()
	var ids []int64
	for _, d := range []Declaration{
		{Title: "open, linked", Alerts: []string{"a1"}},
		{Title: "open, other alert", Alerts: []string{"a2"}},
		{Title: "resolved, linked", Alerts: []string{"a1"}},
	} {
		d.Lang, d.Severity, d.Author = "en", SeverityMedium, "a"
		inc, err := s.Declare(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inc.ID)
	}
	if _, err := s.SetStatus(ctx, ids[2], StatusResolved, "a"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	got, err := s.AlertChanged(ctx, "a1", "volume doubled")
	if err != nil {
		t.Fatalf("AlertChanged: %v", err)
	}
	if !slices.Equal(got, ids[:1]) {
		t.Fatalf("AlertChanged recorded on %v, want %v", got, ids[:1])
	}
	tl, err := st.IncidentTimeline(ctx, ids[0])
	if err != nil || len(tl) != 3 || tl[2].Kind != EntryAlertGrew || Describe(tl[2], "en") != "Alert a1 grew: volume doubled" {
		t.Errorf("timeline = %+v, %v", tl, err)
	}
}

// The timeline is append-only because the store API has no way to change or remove an entry: the
// only methods that take entries add them.
func TestTimelineAppendOnly(t *testing.T) {
	entryType := reflect.TypeFor[*store.TimelineEntry]()
	changeType := reflect.TypeFor[store.IncidentChange]()
	api := reflect.TypeFor[store.Incidents]()
	for i := range api.NumMethod() {
		m := api.Method(i)
		lower := strings.ToLower(m.Name)
		if strings.Contains(lower, "delete") || strings.Contains(lower, "remove") || strings.Contains(lower, "timeline") && m.Name != "IncidentTimeline" {
			t.Errorf("store.Incidents has %s, which could change the timeline", m.Name)
		}
		for j := range m.Type.NumIn() {
			in := m.Type.In(j)
			if (in == reflect.SliceOf(entryType) || in == changeType) && m.Name != "CreateIncident" && m.Name != "ApplyIncidentChange" {
				t.Errorf("%s takes timeline entries", m.Name)
			}
		}
	}
	if f, ok := changeType.FieldByName("Timeline"); !ok || f.Type != reflect.SliceOf(entryType) {
		t.Errorf("IncidentChange.Timeline is not a list of entries to append")
	}
}

// People ticking the same task at the same moment record it once.
func TestConcurrentTicks(t *testing.T) {
	s, _, st, _ := newService(t, Config{})
	ctx := t.Context()
	inc, err := s.Declare(ctx, Declaration{Title: "x", Lang: "nl", Severity: SeverityHigh, Author: "a"})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := s.StartPlaybook(ctx, inc.ID, "viral_complaint", "a")
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.SetTaskDone(ctx, inc.ID, tasks[2].ID, true, fmt.Sprintf("user%d@example.org", i))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("tick %d: %v", i, err)
		}
	}
	tl, err := st.IncidentTimeline(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, e := range tl {
		if e.Kind == EntryTaskDone {
			done++
		}
	}
	if done != 1 {
		t.Errorf("%d task_done entries, want 1", done)
	}
}
