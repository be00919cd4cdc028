package incident

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// Store is what the incident room keeps; the sqlite and postgres stores implement it.
type Store interface {
	CreateIncident(ctx context.Context, inc *store.Incident, timeline []*store.TimelineEntry) error
	IncidentByID(ctx context.Context, id int64) (store.Incident, error)
	IncidentList(ctx context.Context) ([]store.Incident, error)
	ApplyIncidentChange(ctx context.Context, c store.IncidentChange) error
	IncidentTimeline(ctx context.Context, incidentID int64) ([]store.TimelineEntry, error)
	IncidentTasks(ctx context.Context, incidentID int64) ([]store.IncidentTask, error)
	IncidentClaims(ctx context.Context, incidentID int64) ([]store.Claim, error)
}

// Config is the incident room's configuration, from the crisis plan.
type Config struct {
	Clocks ClockConfig
	// Definitions are the plan's descriptions of the severities; a severity without one shows its
	// built-in name only.
	Definitions []Definition
	// Playbooks are the scenarios a checklist can be made from; nil takes SeededPlaybooks.
	Playbooks []Scenario
	// Current, when set, is asked for the definitions and playbooks at every use instead of
	// Definitions and Playbooks, so that a crisis plan stored while serving applies without a restart;
	// nil playbooks from it take Playbooks. It is called on every page view and action, so it must be
	// cheap and must not block: serve hands a copy it converts once per plan version.
	Current func() (definitions []Definition, playbooks []Scenario)
	// Changed, when set, is called with the incident's id after every change to it is stored, so
	// live views can refresh at once rather than re-read on a timer. It must not block.
	Changed func(incidentID int64)
}

// Service runs the incident room: every action checks the rules, then writes the change together
// with the timeline entries that record it.
type Service struct {
	store     Store
	clk       clock.Clock
	cfg       Config
	logger    *slog.Logger
	declared  prometheus.Counter
	entries   *prometheus.CounterVec
	conflicts prometheus.Counter
}

// conflictAttempts is how often an action is retried when someone else changed the incident between
// reading and writing it. Each retry re-reads the incident and re-checks the rules.
const conflictAttempts = 5

// New returns a Service on st. A nil logger discards; a nil registerer registers nothing.
func New(st Store, clk clock.Clock, cfg Config, logger *slog.Logger, reg prometheus.Registerer) (*Service, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Playbooks == nil {
		pbs, err := SeededPlaybooks()
		if err != nil {
			return nil, err
		}
		cfg.Playbooks = pbs
	}
	for _, d := range cfg.Definitions {
		if _, ok := SeverityFromLevel(d.Level); !ok {
			return nil, fmt.Errorf("incident: severity definition for unknown level %q", d.Level)
		}
	}
	s := &Service{
		store: st, clk: clk, cfg: cfg, logger: logger.With("component", "incident"),
		declared: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisdesk_incidents_declared_total", Help: "Incidents declared.",
		}),
		entries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_incident_timeline_entries_total", Help: "Timeline entries written, by kind.",
		}, []string{"kind"}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisdesk_incident_conflicts_total",
			Help: "Incident changes retried because someone else changed the incident first.",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{s.declared, s.entries, s.conflicts} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("incident: register metrics: %w", err)
			}
		}
	}
	return s, nil
}

// Definition returns the plan's description of sev, and false when the plan has none.
func (s *Service) Definition(sev Severity) (Definition, bool) {
	defs, _ := s.plan()
	for _, d := range defs {
		if d.Level == sev.Level() {
			return d, true
		}
	}
	return Definition{}, false
}

// Playbooks returns the scenarios a checklist can be made from.
func (s *Service) Playbooks() []Scenario {
	_, pbs := s.plan()
	return slices.Clone(pbs)
}

// plan returns the severity definitions and playbooks as they are now (Config.Current).
func (s *Service) plan() ([]Definition, []Scenario) {
	if s.cfg.Current == nil {
		return s.cfg.Definitions, s.cfg.Playbooks
	}
	defs, pbs := s.cfg.Current()
	if pbs == nil {
		pbs = s.cfg.Playbooks
	}
	return defs, pbs
}

// Declaration is what declaring an incident takes.
type Declaration struct {
	Title    string
	Lang     string // nl or en
	Severity Severity
	// Alerts are the ids of the alerts the incident is declared from; none when declared by hand.
	Alerts []string
	// DetectedAt is when the first sign was seen, such as the first alert's time; now when zero.
	DetectedAt time.Time
	Author     string
}

// Declare opens an incident in status investigating.
func (s *Service) Declare(ctx context.Context, d Declaration) (store.Incident, error) {
	now := s.clk.Now()
	switch {
	case strings.TrimSpace(d.Title) == "":
		return store.Incident{}, invalid("empty_title")
	case d.Lang != "nl" && d.Lang != "en":
		return store.Incident{}, invalid("bad_lang", d.Lang)
	case !d.Severity.Valid():
		return store.Incident{}, invalid("bad_severity", int(d.Severity))
	case strings.TrimSpace(d.Author) == "":
		return store.Incident{}, invalid("empty_author")
	}
	detected := d.DetectedAt
	if detected.IsZero() || detected.After(now) {
		detected = now
	}
	inc := store.Incident{Title: strings.TrimSpace(d.Title), Lang: d.Lang, Severity: int(d.Severity),
		Status: StatusInvestigating, Roles: map[string]string{}, DetectedAt: detected, DeclaredAt: now,
		CreatedBy: d.Author}
	at := store.TimelineEntry{At: now, Author: d.Author}
	tl := []*store.TimelineEntry{entry(withKind(at, EntryDeclared), Details{Title: inc.Title,
		To: strconv.Itoa(inc.Severity)})}
	for _, a := range d.Alerts {
		if strings.TrimSpace(a) == "" {
			return store.Incident{}, invalid("empty_alert")
		}
		if !slices.Contains(inc.Alerts, a) {
			inc.Alerts = append(inc.Alerts, a)
			tl = append(tl, entry(withKind(at, EntryAlertLinked), Details{Alert: a}))
		}
	}
	if err := s.store.CreateIncident(ctx, &inc, tl); err != nil {
		return store.Incident{}, fmt.Errorf("incident: declare %q: %w", inc.Title, err)
	}
	s.declared.Inc()
	s.count(tl)
	s.changed(inc.ID)
	s.logger.InfoContext(ctx, "incident declared", "incident", inc.ID, "severity", inc.Severity, "alerts", len(inc.Alerts))
	return inc, nil
}

func withKind(e store.TimelineEntry, kind string) store.TimelineEntry {
	e.Kind = kind
	return e
}

// changed tells Config.Changed, when set, that incident id changed.
func (s *Service) changed(id int64) {
	if s.cfg.Changed != nil {
		s.cfg.Changed(id)
	}
}

func (s *Service) count(tl []*store.TimelineEntry) {
	for _, e := range tl {
		s.entries.WithLabelValues(e.Kind).Inc()
	}
}

// change runs one action: read the incident, let fn check the rules and build the change, write it.
// When someone else changed the incident in between, it starts over with the new state.
func (s *Service) change(ctx context.Context, id int64, author string,
	fn func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error)) (store.Incident, error) {
	if strings.TrimSpace(author) == "" {
		return store.Incident{}, invalid("empty_author")
	}
	for attempt := 1; ; attempt++ {
		inc, err := s.store.IncidentByID(ctx, id)
		if err != nil {
			return store.Incident{}, fmt.Errorf("incident %d: %w", id, err)
		}
		c, err := fn(&inc, store.TimelineEntry{At: s.clk.Now(), Author: author})
		if err != nil {
			return store.Incident{}, err
		}
		c.IncidentID = id
		err = s.store.ApplyIncidentChange(ctx, c)
		if errors.Is(err, store.ErrConflict) && attempt < conflictAttempts {
			s.conflicts.Inc()
			continue
		}
		if err != nil {
			return store.Incident{}, fmt.Errorf("incident %d: %w", id, err)
		}
		s.count(c.Timeline)
		if len(c.Timeline) > 0 || c.Incident != nil || len(c.Tasks) > 0 || len(c.Claims) > 0 {
			s.changed(id)
		}
		return inc, nil
	}
}

// open rejects changes to a reviewed incident: its review is the final record.
func open(inc *store.Incident) error {
	if inc.Status == StatusReviewed {
		return invalid("closed", inc.Status)
	}
	return nil
}

// List returns every incident, the most recently declared first.
func (s *Service) List(ctx context.Context) ([]store.Incident, error) {
	list, err := s.store.IncidentList(ctx)
	if err != nil {
		return nil, fmt.Errorf("incident: list: %w", err)
	}
	return list, nil
}

// AlertChanged puts an alert that fired again or grew on the timeline of every incident that it is
// linked to and that is not resolved yet, and returns their ids. The alert pipeline calls it for each
// update of an alert, so the room sees the crisis develop.
func (s *Service) AlertChanged(ctx context.Context, alertID, summary string) ([]int64, error) {
	if strings.TrimSpace(alertID) == "" {
		return nil, invalid("empty_alert")
	}
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, inc := range list {
		if inc.Status == StatusResolved || inc.Status == StatusReviewed || !slices.Contains(inc.Alerts, alertID) {
			continue
		}
		if _, err := s.Record(ctx, inc.ID, Event{Kind: EntryAlertGrew, Details: Details{Alert: alertID, Summary: summary}}); err != nil {
			return ids, err
		}
		ids = append(ids, inc.ID)
	}
	return ids, nil
}

// LinkAlert links one more alert to the incident. Linking an alert twice changes nothing.
func (s *Service) LinkAlert(ctx context.Context, id int64, alertID, author string) (store.Incident, error) {
	return s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if strings.TrimSpace(alertID) == "" {
			return store.IncidentChange{}, invalid("empty_alert")
		}
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		if slices.Contains(inc.Alerts, alertID) {
			return store.IncidentChange{}, nil
		}
		inc.Alerts = append(inc.Alerts, alertID)
		return store.IncidentChange{Incident: inc,
			Timeline: []*store.TimelineEntry{entry(withKind(at, EntryAlertLinked), Details{Alert: alertID})}}, nil
	})
}

// SetSeverity changes the incident's severity.
func (s *Service) SetSeverity(ctx context.Context, id int64, sev Severity, author string) (store.Incident, error) {
	return s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		switch {
		case !sev.Valid():
			return store.IncidentChange{}, invalid("bad_severity", int(sev))
		case inc.Severity == int(sev):
			return store.IncidentChange{}, invalid("same_severity", int(sev))
		}
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		d := Details{From: strconv.Itoa(inc.Severity), To: strconv.Itoa(int(sev))}
		inc.Severity = int(sev)
		return store.IncidentChange{Incident: inc,
			Timeline: []*store.TimelineEntry{entry(withKind(at, EntrySeverityChanged), d)}}, nil
	})
}

// SetStatus moves the incident along its lifecycle, rejecting a move the lifecycle does not allow
// with a *TransitionError.
func (s *Service) SetStatus(ctx context.Context, id int64, status, author string) (store.Incident, error) {
	return s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if inc.Status == status {
			return store.IncidentChange{}, invalid("same_status", catalogFor(inc.Lang).statuses[status])
		}
		if !CanTransition(inc.Status, status) {
			return store.IncidentChange{}, &TransitionError{From: inc.Status, To: status}
		}
		d := Details{From: inc.Status, To: status}
		inc.Status = status
		switch status {
		case StatusResolved:
			inc.ResolvedAt = at.At
		case StatusResponding:
			inc.ResolvedAt = time.Time{} // reopened
		}
		return store.IncidentChange{Incident: inc,
			Timeline: []*store.TimelineEntry{entry(withKind(at, EntryStatusChanged), d)}}, nil
	})
}

// AssignRole gives an incident role to person, or takes it away when person is empty.
func (s *Service) AssignRole(ctx context.Context, id int64, role, person, author string) (store.Incident, error) {
	return s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if !slices.Contains(Roles(), role) {
			return store.IncidentChange{}, invalid("bad_role", role)
		}
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		person = strings.TrimSpace(person)
		if inc.Roles[role] == person {
			return store.IncidentChange{}, nil
		}
		if inc.Roles == nil {
			inc.Roles = map[string]string{}
		}
		kind := EntryRoleAssigned
		if person == "" {
			delete(inc.Roles, role)
			kind = EntryRoleCleared
		} else {
			inc.Roles[role] = person
		}
		return store.IncidentChange{Incident: inc,
			Timeline: []*store.TimelineEntry{entry(withKind(at, kind), Details{Role: role, Person: person})}}, nil
	})
}

// Classify records the SCCT crisis type and intensifiers and returns the advice that follows.
func (s *Service) Classify(ctx context.Context, id int64, crisisType string, intensifiers []string, author string) (Advice, error) {
	advice, err := Advise(crisisType, intensifiers)
	if err != nil {
		return Advice{}, err
	}
	_, err = s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		if inc.CrisisType == advice.CrisisType && slices.Equal(inc.Intensifiers, advice.Intensifiers) {
			return store.IncidentChange{}, nil
		}
		inc.CrisisType, inc.Intensifiers = advice.CrisisType, advice.Intensifiers
		d := Details{CrisisType: advice.CrisisType, Cluster: advice.Cluster.String(), Posture: advice.Posture}
		return store.IncidentChange{Incident: inc,
			Timeline: []*store.TimelineEntry{entry(withKind(at, EntryClassified), d)}}, nil
	})
	if err != nil {
		return Advice{}, err
	}
	return advice, nil
}

// StartPlaybook adds the tasks of a scenario's playbook to the incident's checklist, each due its
// minutes after detection.
func (s *Service) StartPlaybook(ctx context.Context, id int64, scenarioID, author string) ([]store.IncidentTask, error) {
	_, pbs := s.plan()
	i := slices.IndexFunc(pbs, func(sc Scenario) bool { return sc.ID == scenarioID })
	if i < 0 {
		return nil, invalid("unknown_scenario", scenarioID)
	}
	sc := pbs[i]
	var tasks []*store.IncidentTask
	_, err := s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		if inc.Scenario == sc.ID {
			return store.IncidentChange{}, invalid("already_started", sc.ID)
		}
		existing, err := s.store.IncidentTasks(ctx, id)
		if err != nil {
			return store.IncidentChange{}, fmt.Errorf("incident %d: %w", id, err)
		}
		tasks = tasks[:0]
		for k, t := range sc.Playbook {
			task := &store.IncidentTask{Position: len(existing) + k, Step: t.Step, DoNL: t.Do.NL, DoEN: t.Do.EN,
				Owner: t.Owner}
			if t.Due > 0 {
				task.Due = inc.DetectedAt.Add(time.Duration(t.Due) * time.Minute)
			}
			tasks = append(tasks, task)
		}
		inc.Scenario = sc.ID
		name := sc.Name.In(inc.Lang)
		return store.IncidentChange{Incident: inc, Tasks: tasks, Timeline: []*store.TimelineEntry{
			entry(withKind(at, EntryPlaybookStarted), Details{Scenario: name, Count: len(tasks)})}}, nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]store.IncidentTask, len(tasks))
	for k, t := range tasks {
		out[k] = *t
	}
	return out, nil
}

// SetTaskDone ticks a task (done) or unticks it, recording who and when.
func (s *Service) SetTaskDone(ctx context.Context, id, taskID int64, done bool, author string) (store.IncidentTask, error) {
	var task store.IncidentTask
	_, err := s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		tasks, err := s.store.IncidentTasks(ctx, id)
		if err != nil {
			return store.IncidentChange{}, fmt.Errorf("incident %d: %w", id, err)
		}
		k := slices.IndexFunc(tasks, func(t store.IncidentTask) bool { return t.ID == taskID })
		if k < 0 {
			return store.IncidentChange{}, invalid("unknown_task", taskID)
		}
		task = tasks[k]
		if task.Done == done {
			return store.IncidentChange{}, nil
		}
		kind := EntryTaskReopened
		task.Done, task.DoneBy, task.DoneAt = done, "", time.Time{}
		if done {
			kind = EntryTaskDone
			task.DoneBy, task.DoneAt = at.Author, at.At
		}
		d := Details{TaskID: task.ID, Task: &Text{NL: task.DoNL, EN: task.DoEN}}
		// Writing the incident too makes two people ticking the same task at once conflict: the
		// second one retries, finds the task done, and records nothing.
		return store.IncidentChange{Incident: inc, Tasks: []*store.IncidentTask{&task},
			Timeline: []*store.TimelineEntry{entry(withKind(at, kind), d)}}, nil
	})
	return task, err
}

// AddNote appends a note to the timeline. Notes are allowed on a reviewed incident too: a late
// insight belongs in the record.
func (s *Service) AddNote(ctx context.Context, id int64, text, author string) (store.TimelineEntry, error) {
	var note *store.TimelineEntry
	_, err := s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if strings.TrimSpace(text) == "" {
			return store.IncidentChange{}, invalid("empty_note")
		}
		at.Kind, at.Text = EntryNote, text
		note = &at
		return store.IncidentChange{Timeline: []*store.TimelineEntry{note}}, nil
	})
	if err != nil {
		return store.TimelineEntry{}, err
	}
	return *note, nil
}

// Event is something that happened elsewhere in crisisdesk and belongs on an incident's timeline:
// an alert fired or grew, someone was paged or acknowledged, a statement was drafted, approved or
// published, scheduled posts were paused.
type Event struct {
	Kind string // EntryAlertFired, EntryAlertGrew, EntryPaged, EntryAcknowledged, EntryStatement*, EntryScheduledPaused
	// Author is who did it, or System.
	Author  string
	Details Details
}

var eventKinds = []string{EntryAlertFired, EntryAlertGrew, EntryPaged, EntryAcknowledged,
	EntryStatementDrafted, EntryStatementApproved, EntryStatementPublished, EntryScheduledPaused}

// Record writes an event on the timeline, with its effect on the incident: an alert that fires or
// grows is linked, the first acknowledgement stops the acknowledge clock, and a published statement
// stops the first-response clock and restarts the next-update clock.
func (s *Service) Record(ctx context.Context, id int64, ev Event) (store.Incident, error) {
	if ev.Author == "" {
		ev.Author = System
	}
	return s.change(ctx, id, ev.Author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		return eventChange(inc, at, ev)
	})
}

// ClaimInput is the editable part of a claim.
type ClaimInput struct {
	Text   string
	Status string // unverified when empty
	Owner  string
	Answer string
	Posts  []store.PostRef
}

func (in ClaimInput) check() (ClaimInput, error) {
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		return in, invalid("empty_claim")
	}
	if in.Status == "" {
		in.Status = ClaimUnverified
	}
	if !slices.Contains(ClaimStatuses(), in.Status) {
		return in, invalid("bad_claim_status", in.Status)
	}
	var posts []store.PostRef
	for _, p := range in.Posts {
		if p.Platform == "" || p.ID == "" {
			return in, invalid("bad_post")
		}
		if !slices.Contains(posts, p) {
			posts = append(posts, p)
		}
	}
	in.Posts = posts
	return in, nil
}

// AddClaim adds a claim to the facts and rumours register.
func (s *Service) AddClaim(ctx context.Context, id int64, in ClaimInput, author string) (store.Claim, error) {
	in, err := in.check()
	if err != nil {
		return store.Claim{}, err
	}
	var claim *store.Claim
	_, err = s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		claim = &store.Claim{Text: in.Text, Status: in.Status, Owner: in.Owner, Answer: in.Answer, Posts: in.Posts,
			CreatedAt: at.At, UpdatedAt: at.At}
		d := Details{Claim: in.Text, Status: in.Status}
		return store.IncidentChange{Claims: []*store.Claim{claim},
			Timeline: []*store.TimelineEntry{entry(withKind(at, EntryClaimAdded), d)}}, nil
	})
	if err != nil {
		return store.Claim{}, err
	}
	return *claim, nil
}

// UpdateClaim replaces the editable part of a claim. The timeline entry keeps the status it had
// before, so the register's history can be read back from the timeline.
func (s *Service) UpdateClaim(ctx context.Context, id, claimID int64, in ClaimInput, author string) (store.Claim, error) {
	in, err := in.check()
	if err != nil {
		return store.Claim{}, err
	}
	return s.editClaim(ctx, id, claimID, author, nil, func(cl *store.Claim) {
		cl.Text, cl.Status, cl.Owner, cl.Answer, cl.Posts = in.Text, in.Status, in.Owner, in.Answer, in.Posts
	})
}

// LinkPost links a post to a claim as one of its sources, as the post view does. The timeline says
// which post; linking it twice changes nothing.
func (s *Service) LinkPost(ctx context.Context, id, claimID int64, p store.PostRef, author string) (store.Claim, error) {
	if p.Platform == "" || p.ID == "" {
		return store.Claim{}, invalid("bad_post")
	}
	return s.editClaim(ctx, id, claimID, author, &p, func(cl *store.Claim) {
		if !slices.Contains(cl.Posts, p) {
			cl.Posts = append(cl.Posts, p)
		}
	})
}

// editClaim changes a claim with edit and records it on the timeline: as a post linked, when linked is
// set, or else as a claim changed.
func (s *Service) editClaim(ctx context.Context, id, claimID int64, author string, linked *store.PostRef, edit func(*store.Claim)) (store.Claim, error) {
	var claim store.Claim
	_, err := s.change(ctx, id, author, func(inc *store.Incident, at store.TimelineEntry) (store.IncidentChange, error) {
		if err := open(inc); err != nil {
			return store.IncidentChange{}, err
		}
		claims, err := s.store.IncidentClaims(ctx, id)
		if err != nil {
			return store.IncidentChange{}, fmt.Errorf("incident %d: %w", id, err)
		}
		k := slices.IndexFunc(claims, func(c store.Claim) bool { return c.ID == claimID })
		if k < 0 {
			return store.IncidentChange{}, invalid("unknown_claim", claimID)
		}
		claim = claims[k]
		before := claim
		before.Posts = slices.Clone(claim.Posts)
		edit(&claim)
		if claim.Text == before.Text && claim.Status == before.Status && claim.Owner == before.Owner &&
			claim.Answer == before.Answer && slices.Equal(claim.Posts, before.Posts) {
			return store.IncidentChange{}, nil
		}
		claim.UpdatedAt = at.At
		d := Details{ClaimID: claim.ID, Claim: claim.Text, Status: claim.Status, From: before.Status}
		kind := EntryClaimChanged
		if linked != nil {
			kind, d.Post = EntryClaimPostLinked, linked.Platform+" "+linked.ID
		}
		// As with tasks, writing the incident makes concurrent edits of a claim retry on the newest.
		return store.IncidentChange{Incident: inc, Claims: []*store.Claim{&claim},
			Timeline: []*store.TimelineEntry{entry(withKind(at, kind), d)}}, nil
	})
	return claim, err
}

// Room is everything known about one incident at one moment: what the incident room shows and the
// export writes.
type Room struct {
	Incident store.Incident
	// ScenarioName is the name of the playbook the checklist came from, if any.
	ScenarioName Text
	Definition   Definition
	HasDef       bool
	Clocks       Clocks
	// Advice is set when the incident has been classified.
	Advice   *Advice
	Timeline []store.TimelineEntry
	Tasks    []store.IncidentTask
	Claims   []store.Claim
}

// Room reads an incident with its timeline, checklist and claims, and computes its clocks and advice.
func (s *Service) Room(ctx context.Context, id int64) (Room, error) {
	inc, err := s.store.IncidentByID(ctx, id)
	if err != nil {
		return Room{}, fmt.Errorf("incident %d: %w", id, err)
	}
	r := Room{Incident: inc}
	if r.Timeline, err = s.store.IncidentTimeline(ctx, id); err != nil {
		return Room{}, fmt.Errorf("incident %d: %w", id, err)
	}
	if r.Tasks, err = s.store.IncidentTasks(ctx, id); err != nil {
		return Room{}, fmt.Errorf("incident %d: %w", id, err)
	}
	if r.Claims, err = s.store.IncidentClaims(ctx, id); err != nil {
		return Room{}, fmt.Errorf("incident %d: %w", id, err)
	}
	r.Definition, r.HasDef = s.Definition(Severity(inc.Severity))
	_, pbs := s.plan()
	if i := slices.IndexFunc(pbs, func(sc Scenario) bool { return sc.ID == inc.Scenario }); i >= 0 {
		r.ScenarioName = pbs[i].Name
	} else {
		r.ScenarioName = Text{NL: inc.Scenario, EN: inc.Scenario}
	}
	r.Clocks = s.ClocksOf(inc)
	if inc.CrisisType != "" {
		a, err := Advise(inc.CrisisType, inc.Intensifiers)
		if err != nil {
			return Room{}, fmt.Errorf("incident %d: stored classification: %w", id, err)
		}
		r.Advice = &a
	}
	return r, nil
}

// ClocksOf computes the clocks of inc now, with the first-response time of its severity's definition.
func (s *Service) ClocksOf(inc store.Incident) Clocks {
	var within time.Duration
	if d, ok := s.Definition(Severity(inc.Severity)); ok {
		within = time.Duration(d.RespondWithin) * time.Minute
	}
	return ClocksAt(inc, s.clk.Now(), s.cfg.Clocks, within)
}
