package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// IncidentService is what the incident room's pages call. *incident.Service is one; it checks every
// rule and writes each change with the timeline entries that record it.
type IncidentService interface {
	List(ctx context.Context) ([]store.Incident, error)
	Declare(ctx context.Context, d incident.Declaration) (store.Incident, error)
	Room(ctx context.Context, id int64) (incident.Room, error)
	ClocksOf(inc store.Incident) incident.Clocks
	Definition(sev incident.Severity) (incident.Definition, bool)
	Playbooks() []incident.Scenario
	LinkAlert(ctx context.Context, id int64, alertID, author string) (store.Incident, error)
	SetSeverity(ctx context.Context, id int64, sev incident.Severity, author string) (store.Incident, error)
	SetStatus(ctx context.Context, id int64, status, author string) (store.Incident, error)
	AssignRole(ctx context.Context, id int64, role, person, author string) (store.Incident, error)
	Classify(ctx context.Context, id int64, crisisType string, intensifiers []string, author string) (incident.Advice, error)
	StartPlaybook(ctx context.Context, id int64, scenarioID, author string) ([]store.IncidentTask, error)
	SetTaskDone(ctx context.Context, id, taskID int64, done bool, author string) (store.IncidentTask, error)
	AddNote(ctx context.Context, id int64, text, author string) (store.TimelineEntry, error)
	AddClaim(ctx context.Context, id int64, in incident.ClaimInput, author string) (store.Claim, error)
	UpdateClaim(ctx context.Context, id, claimID int64, in incident.ClaimInput, author string) (store.Claim, error)
	LinkPost(ctx context.Context, id, claimID int64, p store.PostRef, author string) (store.Claim, error)
	Record(ctx context.Context, id int64, ev incident.Event) (store.Incident, error)
}

// severityOption is one severity as the forms offer it, with the plan's own words for it.
type severityOption struct {
	Value   int
	Name    string
	Meaning string
	Action  string
}

// severityOptions lists severities 1 to 4 with the plan's definitions in lang; a severity the plan
// does not define shows its built-in name.
func (s *Server) severityOptions(lang string) []severityOption {
	out := make([]severityOption, 0, 4)
	for n := 1; n <= 4; n++ {
		o := severityOption{Value: n, Name: s.msgs.text(lang, "incident.severity_"+strconv.Itoa(n))}
		if d, ok := s.deps.Incidents.Definition(incident.Severity(n)); ok {
			if name := d.Name.In(lang); name != "" {
				o.Name = strconv.Itoa(n) + " · " + name
			}
			o.Meaning, o.Action = d.Meaning.In(lang), d.Action.In(lang)
		}
		out = append(out, o)
	}
	return out
}

// clocksView is an incident's clocks in words.
type clocksView struct {
	SinceDetection    string
	TimeToAcknowledge string
	Acknowledged      bool
	FirstResponseDue  time.Time
	FirstResponseLeft string
	State             string // one of incident's Clock states
	StateLabel        string
	Overdue           bool
	WarningsPassed    int
	Breached          bool
	NextUpdateDue     time.Time
	NextUpdateOverdue bool
}

func (s *Server) clocksView(c incident.Clocks, lang string) clocksView {
	left := c.FirstResponseLeft
	v := clocksView{
		SinceDetection: s.duration(lang, c.SinceDetection), TimeToAcknowledge: s.duration(lang, c.TimeToAcknowledge),
		Acknowledged: c.Acknowledged, FirstResponseDue: c.FirstResponseDue, State: c.FirstResponse,
		StateLabel: s.msgs.text(lang, "incident.clock_"+c.FirstResponse), WarningsPassed: c.WarningsPassed,
		Breached: c.Breached, NextUpdateDue: c.NextUpdateDue, NextUpdateOverdue: c.NextUpdateOverdue,
	}
	if left < 0 {
		v.Overdue, left = true, -left
	}
	v.FirstResponseLeft = s.duration(lang, left)
	return v
}

// duration writes d as hours and minutes, which is how long a crisis clock is read.
func (s *Server) duration(lang string, d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf(s.msgs.text(lang, "incident.duration"), m/60, m%60)
}

type incidentRow struct {
	ID         int64
	Title      string
	Severity   int
	SevName    string
	SevMeaning string
	Status     string
	StatusText string
	DeclaredAt time.Time
	Alerts     int
	Clocks     clocksView
	Open       bool
}

type incidentsBody struct {
	Open       []incidentRow
	Recent     []incidentRow
	CanAct     bool
	Severities []severityOption
	Langs      []string
}

// recentIncidents is how long a closed incident stays on the list page.
const recentIncidents = 30 * 24 * time.Hour

func (s *Server) incidentRow(inc store.Incident, lang string) incidentRow {
	row := incidentRow{ID: inc.ID, Title: inc.Title, Severity: inc.Severity, Status: inc.Status,
		StatusText: s.msgs.text(lang, "incident.status_"+inc.Status), DeclaredAt: inc.DeclaredAt,
		Alerts: len(inc.Alerts), Clocks: s.clocksView(s.deps.Incidents.ClocksOf(inc), lang),
		Open: inc.Status != incident.StatusResolved && inc.Status != incident.StatusReviewed}
	for _, o := range s.severityOptions(lang) {
		if o.Value == inc.Severity {
			row.SevName, row.SevMeaning = o.Name, o.Meaning
		}
	}
	return row
}

// incidentsPage lists the open incidents and those closed in the last month, and offers the form to
// declare one by hand.
func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Incidents == nil {
		s.notFound(w, r, v)
		return
	}
	list, err := s.deps.Incidents.List(r.Context())
	if err != nil {
		s.log.Error("incidents page", "err", err)
		s.serverError(w, r, v)
		return
	}
	body := incidentsBody{CanAct: v.id.Can(auth.HandleIncidents), Severities: s.severityOptions(v.lang), Langs: languages}
	since := s.deps.Clock.Now().Add(-recentIncidents)
	for _, inc := range list {
		row := s.incidentRow(inc, v.lang)
		switch {
		case row.Open:
			body.Open = append(body.Open, row)
		case inc.DeclaredAt.After(since) || inc.ResolvedAt.After(since):
			body.Recent = append(body.Recent, row)
		}
	}
	s.render(w, r, v, "incidents", s.newPage(r, v, "incidents.title", "incidents", body))
}

// incidentDeclare declares an incident from the posted alerts, or by hand when none are posted. The
// first sign is the earliest of the alerts' opening times, so the clocks start at detection and not
// at the moment someone pressed the button.
func (s *Server) incidentDeclare(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Incidents == nil {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	sev, _ := strconv.Atoi(r.PostFormValue("severity"))
	lang := r.PostFormValue("lang")
	if lang == "" {
		lang = v.lang
	}
	d := incident.Declaration{Title: r.PostFormValue("title"), Lang: lang, Severity: incident.Severity(sev),
		Author: v.id.User.Email}
	// The alert page posts one id per field; the form on /incidents takes several, separated by
	// commas or spaces.
	var ids []string
	var acked []store.Alert
	for _, f := range r.PostForm["alert"] {
		ids = append(ids, strings.FieldsFunc(f, func(c rune) bool { return c == ',' || unicode.IsSpace(c) })...)
	}
	for _, id := range ids {
		if s.deps.Alerts == nil {
			s.notFound(w, r, v)
			return
		}
		a, err := s.deps.Alerts.AlertByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			s.renderError(w, r, v, http.StatusUnprocessableEntity, "incidents.unknown_alert")
			return
		}
		if err != nil {
			s.log.Error("declare incident: read alert", "alert", id, "err", err)
			s.serverError(w, r, v)
			return
		}
		d.Alerts = append(d.Alerts, a.ID)
		if a.AckedBy != "" {
			acked = append(acked, a)
		}
		// Declared from an alert without choosing: the alert's own severity is the starting point.
		if d.Severity == 0 {
			if sev, ok := incident.SeverityFromLevel(a.Severity); ok {
				d.Severity = sev
			}
		}
		if d.DetectedAt.IsZero() || a.OpenedAt.Before(d.DetectedAt) {
			d.DetectedAt = a.OpenedAt
		}
	}
	if d.Severity == 0 && r.PostFormValue("severity") == "" {
		d.Severity = incident.SeverityMedium
	}
	inc, err := s.deps.Incidents.Declare(ctx, d)
	if s.incidentProblem(w, r, v, err) {
		return
	}
	// An alert someone already acknowledged was acknowledged for this incident too; the timeline
	// records it now, so the time to acknowledge reads at most the time until declaring.
	for _, a := range acked {
		ev := incident.Event{Kind: incident.EntryAcknowledged, Author: a.AckedBy, Details: incident.Details{Alert: a.ID, Person: a.AckedBy}}
		if _, err := s.deps.Incidents.Record(ctx, inc.ID, ev); err != nil {
			s.log.Error("declare incident: record acknowledgement", "incident", inc.ID, "alert", a.ID, "err", err)
		}
	}
	for _, a := range inc.Alerts {
		s.publishAlert(ctx, a)
	}
	http.Redirect(w, r, "/incidents/"+strconv.FormatInt(inc.ID, 10), http.StatusSeeOther)
}

// incidentProblem answers a refused or failed action and reports whether it did. A refusal by the
// incident's rules is shown in the visitor's language with what was wrong.
func (s *Server) incidentProblem(w http.ResponseWriter, r *http.Request, v *visit, err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return true
	}
	var msg interface{ Message(lang string) string }
	if errors.Is(err, incident.ErrInvalid) && errors.As(err, &msg) {
		p := s.newPage(r, v, "error.title", "incidents", nil)
		p.Status = http.StatusUnprocessableEntity
		p.Body = incidentRefusal{Text: msg.Message(v.lang), Back: returnPath(r)}
		s.render(w, r, v, "incident_refused", p)
		return true
	}
	if errors.Is(err, store.ErrConflict) {
		s.renderError(w, r, v, http.StatusConflict, "incidents.conflict")
		return true
	}
	s.log.Error("incident action", "path", r.URL.Path, "err", err)
	s.serverError(w, r, v)
	return true
}

type incidentRefusal struct {
	Text string
	Back string
}

// incidentID is the incident of the request's path; false when it is not a number.
func incidentID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

type timelineView struct {
	ID     int64
	At     time.Time
	Author string
	Kind   string
	Text   string
	Note   bool
}

type taskView struct {
	ID     int64
	Step   string
	Do     string
	Owner  string
	Due    time.Time
	Late   bool
	Done   bool
	DoneBy string
	DoneAt time.Time
}

type claimView struct {
	store.Claim
	StatusText string
}

type linkedAlert struct {
	ID, Summary, Monitor, MonitorName, Status string
	Opened                                    time.Time
	Severity                                  string
}

type option struct {
	Value, Label string
	Selected     bool
}

type stakeholderGroup struct {
	Internal bool
	List     []stakeholderView
}

type stakeholderView struct {
	Key                 string // "person:" or "contact:" and the plan id
	Name, Role, Contact string
	// InformedAt and InformedBy are the latest mark; Times counts every mark.
	InformedAt time.Time
	InformedBy string
	Times      int
}

type adviceView struct {
	Cluster     string
	Base        string
	Posture     string
	Tactics     []string
	Bolster     []string
	Explanation string
	Templates   []respond.Template
}

type roleView struct {
	Role    string
	Label   string
	Holder  string
	Options []option
}

type roomBody struct {
	ID                int64
	Title             string
	Lang              string
	Status            string
	StatusText        string
	Next              []option
	Severity          int
	Severities        []severityOption
	SevName           string
	SevMeaning        string
	SevAction         string
	DetectedAt        time.Time
	DeclaredAt        time.Time
	CreatedBy         string
	Clocks            clocksView
	Roles             []roleView
	CrisisTypes       []option
	Intensifiers      []option
	Advice            *adviceView
	Scenario          string
	Playbooks         []option
	Tasks             []taskView
	TasksDone         int
	Claims            []claimView
	ClaimStates       []option
	Timeline          []timelineView
	Alerts            []linkedAlert
	Monitors          []linkedAlert
	People            []stakeholderView
	Contacts          []stakeholderView
	StakeholderGroups []stakeholderGroup
	CanAct            bool
	CanInform         bool // stakeholder marks are kept
	Closed            bool
	Platforms         []string
	// Situation is the matched posts since the onset; nil when the room has no store to sum them up.
	Situation *situationView
}

// incidentPage is the incident room.
func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := incidentID(r)
	if s.deps.Incidents == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	body, err := s.roomBody(r.Context(), id, v)
	if s.incidentProblem(w, r, v, err) {
		return
	}
	p := s.newPage(r, v, "incident.title", "incidents", body)
	p.Notice = incidentNotice(r.URL.Query().Get("done"))
	s.render(w, r, v, "incident_room", p)
}

// incidentNotice is the message key that confirms an action named by the redirect's done parameter.
func incidentNotice(done string) string {
	switch done {
	case "status", "severity", "role", "classified", "playbook", "task", "claim", "note", "alert", "post", "informed":
		return "incident.done_" + done
	}
	return ""
}

func (s *Server) roomBody(ctx context.Context, id int64, v *visit) (roomBody, error) {
	lang := v.lang
	t := func(k string) string { return s.msgs.text(lang, k) }
	room, err := s.deps.Incidents.Room(ctx, id)
	if err != nil {
		return roomBody{}, err
	}
	inc := room.Incident
	b := roomBody{ID: inc.ID, Title: inc.Title, Lang: inc.Lang, Status: inc.Status,
		StatusText: t("incident.status_" + inc.Status), Severity: inc.Severity, Severities: s.severityOptions(lang),
		DetectedAt: inc.DetectedAt, DeclaredAt: inc.DeclaredAt, CreatedBy: inc.CreatedBy,
		Clocks: s.clocksView(room.Clocks, lang), CanAct: v.id.Can(auth.HandleIncidents),
		Closed: inc.Status == incident.StatusReviewed, Platforms: post.Platforms}
	for _, o := range b.Severities {
		if o.Value == inc.Severity {
			b.SevName, b.SevMeaning, b.SevAction = o.Name, o.Meaning, o.Action
		}
	}
	for _, st := range incident.NextStatuses(inc.Status) {
		b.Next = append(b.Next, option{Value: st, Label: t("incident.status_" + st)})
	}

	users, err := s.deps.Auth.Users(ctx)
	if err != nil {
		return roomBody{}, fmt.Errorf("web: users for incident roles: %w", err)
	}
	for _, role := range incident.Roles() {
		rv := roleView{Role: role, Label: t("incident.role_" + role), Holder: inc.Roles[role]}
		for _, u := range users {
			if u.Disabled {
				continue
			}
			rv.Options = append(rv.Options, option{Value: u.Email, Label: u.Email, Selected: u.Email == rv.Holder})
		}
		b.Roles = append(b.Roles, rv)
	}

	for _, ct := range incident.CrisisTypes() {
		b.CrisisTypes = append(b.CrisisTypes, option{Value: ct, Label: t("incident.type_" + ct), Selected: ct == inc.CrisisType})
	}
	for _, in := range incident.Intensifiers() {
		b.Intensifiers = append(b.Intensifiers, option{Value: in, Label: t("incident.intensifier_" + in),
			Selected: slices.Contains(inc.Intensifiers, in)})
	}
	var p *plan.Plan
	if s.deps.Plans != nil {
		if p, _, _, err = plan.Current(ctx, s.deps.Plans); err != nil {
			return roomBody{}, fmt.Errorf("web: crisis plan for incident room: %w", err)
		}
	}
	if a := room.Advice; a != nil {
		av := &adviceView{Cluster: t("incident.cluster_" + a.Cluster.String()), Base: t("incident.cluster_" + a.Base.String()),
			Posture: t("incident.posture_" + a.Posture), Explanation: a.Explain(lang)}
		for _, tc := range a.Tactics {
			av.Tactics = append(av.Tactics, t("incident.tactic_"+tc))
		}
		for _, tc := range a.Bolster {
			av.Bolster = append(av.Bolster, t("incident.tactic_"+tc))
		}
		// The plan's statements, or the seeded ones when the plan has none, as the composer uses.
		ts := []respond.Template(nil)
		if p != nil {
			ts = p.Templates
		}
		if len(ts) == 0 {
			if ts, err = respond.SeededTemplates(); err != nil {
				return roomBody{}, fmt.Errorf("web: seeded templates: %w", err)
			}
		}
		av.Templates = a.Templates(ts, inc.Lang, "")
		b.Advice = av
	}

	b.Scenario = room.ScenarioName.In(lang)
	for _, sc := range s.deps.Incidents.Playbooks() {
		b.Playbooks = append(b.Playbooks, option{Value: sc.ID, Label: sc.Name.In(lang), Selected: sc.ID == inc.Scenario})
	}
	now := room.Clocks.Now
	for _, tk := range room.Tasks {
		do := tk.DoEN
		if lang == "nl" && tk.DoNL != "" || do == "" {
			do = tk.DoNL
		}
		owner := ""
		if tk.Owner != "" {
			owner = t("incident.person_role_" + tk.Owner)
		}
		b.Tasks = append(b.Tasks, taskView{ID: tk.ID, Step: t("incident.step_" + tk.Step), Do: do, Owner: owner,
			Due: tk.Due, Late: !tk.Done && !tk.Due.IsZero() && now.After(tk.Due), Done: tk.Done, DoneBy: tk.DoneBy, DoneAt: tk.DoneAt})
		if tk.Done {
			b.TasksDone++
		}
	}
	for _, c := range room.Claims {
		b.Claims = append(b.Claims, claimView{Claim: c, StatusText: t("incident.claim_" + c.Status)})
	}
	for _, st := range incident.ClaimStatuses() {
		b.ClaimStates = append(b.ClaimStates, option{Value: st, Label: t("incident.claim_" + st)})
	}
	// Newest first: the room is read to learn what just happened.
	for i := len(room.Timeline) - 1; i >= 0; i-- {
		e := room.Timeline[i]
		tv := timelineView{ID: e.ID, At: e.At, Author: e.Author, Kind: e.Kind, Note: e.Kind == incident.EntryNote}
		if tv.Note {
			tv.Text = e.Text
		} else {
			tv.Text = incident.Describe(e, lang)
		}
		b.Timeline = append(b.Timeline, tv)
	}

	if err := s.linkedAlerts(ctx, &b, inc.Alerts, lang); err != nil {
		return roomBody{}, err
	}
	if b.Situation, err = s.situation(ctx, &b, room, lang); err != nil {
		return roomBody{}, err
	}
	if p != nil {
		for _, person := range p.People {
			roles := make([]string, len(person.Roles))
			for i, r := range person.Roles {
				roles[i] = t("incident.person_role_" + r)
			}
			b.People = append(b.People, stakeholderView{Key: "person:" + person.ID, Name: person.Name,
				Role: strings.Join(roles, ", "), Contact: strings.Join(nonEmpty(person.Email, person.Phone, person.Chat), " · ")})
		}
		for _, c := range p.Contacts {
			b.Contacts = append(b.Contacts, stakeholderView{Key: "contact:" + c.ID, Name: strings.Join(nonEmpty(c.Name, c.Organisation), ", "),
				Role: t("incident.contact_" + c.Kind), Contact: strings.Join(nonEmpty(c.Email, c.Phone), " · ")})
		}
		if s.deps.Stakeholders != nil {
			marks, err := s.deps.Stakeholders.StakeholderMarks(ctx, inc.ID)
			if err != nil {
				return roomBody{}, fmt.Errorf("web: stakeholders of incident %d: %w", inc.ID, err)
			}
			for _, list := range [][]stakeholderView{b.People, b.Contacts} {
				for i := range list {
					for _, m := range marks {
						if m.Stakeholder == list[i].Key {
							list[i].InformedAt, list[i].InformedBy = m.InformedAt, m.InformedBy
							list[i].Times++
						}
					}
				}
			}
			b.CanInform = b.CanAct
		}
	}
	b.StakeholderGroups = []stakeholderGroup{{Internal: true, List: b.People}, {List: b.Contacts}}
	return b, nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// linkedAlerts fills in the incident's alerts and the monitors they came from.
func (s *Server) linkedAlerts(ctx context.Context, b *roomBody, ids []string, lang string) error {
	if s.deps.Alerts == nil {
		return nil
	}
	at, err := s.alertTexts(ctx, lang)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, id := range ids {
		a, err := s.deps.Alerts.AlertByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			b.Alerts = append(b.Alerts, linkedAlert{ID: id})
			continue
		}
		if err != nil {
			return fmt.Errorf("web: alert %s of incident %d: %w", id, b.ID, err)
		}
		av := s.alertView(a, at)
		b.Alerts = append(b.Alerts, linkedAlert{ID: a.ID, Summary: a.Summary, Monitor: a.Monitor, MonitorName: av.MonitorName,
			Status: av.StatusLabel, Opened: a.OpenedAt, Severity: a.Severity})
		if !seen[a.Monitor] {
			seen[a.Monitor] = true
			b.Monitors = append(b.Monitors, linkedAlert{Monitor: a.Monitor, MonitorName: av.MonitorName})
		}
	}
	return nil
}

// incidentAction parses the form of a POST to an incident, runs do with the signed-in user as the
// author, and returns to the room with a notice.
func (s *Server) incidentAction(w http.ResponseWriter, r *http.Request, v *visit, done string,
	do func(ctx context.Context, id int64, author string) error) {
	id, ok := incidentID(r)
	if s.deps.Incidents == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	if s.incidentProblem(w, r, v, do(r.Context(), id, v.id.User.Email)) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d?done=%s#%s", id, done, done), http.StatusSeeOther)
}

func (s *Server) incidentSetStatus(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "status", func(ctx context.Context, id int64, by string) error {
		_, err := s.deps.Incidents.SetStatus(ctx, id, r.PostFormValue("status"), by)
		return err
	})
}

func (s *Server) incidentSetSeverity(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "severity", func(ctx context.Context, id int64, by string) error {
		n, _ := strconv.Atoi(r.PostFormValue("severity"))
		_, err := s.deps.Incidents.SetSeverity(ctx, id, incident.Severity(n), by)
		return err
	})
}

func (s *Server) incidentAssignRole(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "role", func(ctx context.Context, id int64, by string) error {
		_, err := s.deps.Incidents.AssignRole(ctx, id, r.PostFormValue("role"), r.PostFormValue("person"), by)
		return err
	})
}

func (s *Server) incidentClassify(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "classified", func(ctx context.Context, id int64, by string) error {
		_, err := s.deps.Incidents.Classify(ctx, id, r.PostFormValue("type"), r.PostForm["intensifier"], by)
		return err
	})
}

func (s *Server) incidentStartPlaybook(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "playbook", func(ctx context.Context, id int64, by string) error {
		_, err := s.deps.Incidents.StartPlaybook(ctx, id, r.PostFormValue("scenario"), by)
		return err
	})
}

func (s *Server) incidentSetTask(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "task", func(ctx context.Context, id int64, by string) error {
		task, err := strconv.ParseInt(r.PathValue("task"), 10, 64)
		if err != nil {
			return store.ErrNotFound
		}
		_, err = s.deps.Incidents.SetTaskDone(ctx, id, task, r.PostFormValue("done") == "true", by)
		return err
	})
}

func (s *Server) incidentAddNote(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "note", func(ctx context.Context, id int64, by string) error {
		_, err := s.deps.Incidents.AddNote(ctx, id, r.PostFormValue("text"), by)
		return err
	})
}

func (s *Server) incidentLinkAlert(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "alert", func(ctx context.Context, id int64, by string) error {
		alertID := strings.TrimSpace(r.PostFormValue("alert"))
		if s.deps.Alerts != nil && alertID != "" {
			if _, err := s.deps.Alerts.AlertByID(ctx, alertID); err != nil {
				return fmt.Errorf("link alert %q: %w", alertID, err)
			}
		}
		_, err := s.deps.Incidents.LinkAlert(ctx, id, alertID, by)
		return err
	})
}

func claimInput(r *http.Request) incident.ClaimInput {
	return incident.ClaimInput{Text: r.PostFormValue("text"), Status: r.PostFormValue("status"),
		Owner: r.PostFormValue("owner"), Answer: r.PostFormValue("answer")}
}

func postRef(r *http.Request) (store.PostRef, bool) {
	p := store.PostRef{Platform: strings.TrimSpace(r.PostFormValue("platform")), ID: strings.TrimSpace(r.PostFormValue("post"))}
	return p, p.Platform != "" && p.ID != ""
}

func (s *Server) incidentAddClaim(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "claim", func(ctx context.Context, id int64, by string) error {
		in := claimInput(r)
		if p, ok := postRef(r); ok {
			in.Posts = []store.PostRef{p}
		}
		_, err := s.deps.Incidents.AddClaim(ctx, id, in, by)
		return err
	})
}

func (s *Server) incidentUpdateClaim(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "claim", func(ctx context.Context, id int64, by string) error {
		claim, err := strconv.ParseInt(r.PathValue("claim"), 10, 64)
		if err != nil {
			return store.ErrNotFound
		}
		_, err = s.deps.Incidents.UpdateClaim(ctx, id, claim, claimInput(r), by)
		return err
	})
}

func (s *Server) incidentLinkPost(w http.ResponseWriter, r *http.Request, v *visit) {
	s.incidentAction(w, r, v, "post", func(ctx context.Context, id int64, by string) error {
		claim, err := strconv.ParseInt(r.PathValue("claim"), 10, 64)
		if err != nil {
			return store.ErrNotFound
		}
		p, _ := postRef(r)
		_, err = s.deps.Incidents.LinkPost(ctx, id, claim, p, by)
		return err
	})
}

// incidentExport writes the incident as Markdown or HTML, in the incident's own language, for the
// record and the review.
func (s *Server) incidentExport(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := incidentID(r)
	if s.deps.Incidents == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	room, err := s.deps.Incidents.Room(r.Context(), id)
	if s.incidentProblem(w, r, v, err) {
		return
	}
	var buf strings.Builder
	write, ctype, ext := incident.WriteHTML, "text/html; charset=utf-8", "html"
	if strings.HasSuffix(r.URL.Path, ".md") {
		write, ctype, ext = incident.WriteMarkdown, "text/markdown; charset=utf-8", "md"
	}
	if err := write(&buf, room, s.cfg.Location); err != nil {
		s.log.Error("export incident", "incident", id, "err", err)
		s.serverError(w, r, v)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="incident-%d.%s"`, id, ext))
	if ext == "html" {
		// The export is a standalone document; it needs no scripts.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	}
	w.Write([]byte(buf.String()))
}

// StakeholderStore keeps who informed which stakeholder of an incident. *sqlite.Store and
// *postgres.Store are ones.
type StakeholderStore interface {
	MarkStakeholderInformed(ctx context.Context, m *store.StakeholderMark) error
	StakeholderMarks(ctx context.Context, incidentID int64) ([]store.StakeholderMark, error)
}

// incidentInformed marks a stakeholder of the crisis plan as informed now, by the signed-in user, and
// puts it on the timeline in the incident's language, so the audit trail has it too.
func (s *Server) incidentInformed(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Stakeholders == nil || s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	s.incidentAction(w, r, v, "informed", func(ctx context.Context, id int64, by string) error {
		room, err := s.deps.Incidents.Room(ctx, id)
		if err != nil {
			return err
		}
		p, _, _, err := plan.Current(ctx, s.deps.Plans)
		if err != nil {
			return fmt.Errorf("web: crisis plan for stakeholders: %w", err)
		}
		key := r.PostFormValue("stakeholder")
		name, ok := stakeholderName(p, key)
		if !ok {
			return store.ErrNotFound
		}
		m := store.StakeholderMark{IncidentID: id, Stakeholder: key, InformedAt: s.deps.Clock.Now(), InformedBy: by}
		if err := s.deps.Stakeholders.MarkStakeholderInformed(ctx, &m); err != nil {
			return err
		}
		_, err = s.deps.Incidents.AddNote(ctx, id, fmt.Sprintf(s.msgs.text(room.Incident.Lang, "incident.informed_note"), name), by)
		return err
	})
}

// stakeholderName finds the plan entry a stakeholder key names.
func stakeholderName(p *plan.Plan, key string) (string, bool) {
	kind, id, ok := strings.Cut(key, ":")
	if !ok || id == "" {
		return "", false
	}
	switch kind {
	case "person":
		for _, person := range p.People {
			if person.ID == id {
				return person.Name, true
			}
		}
	case "contact":
		for _, c := range p.Contacts {
			if c.ID == id {
				return strings.Join(nonEmpty(c.Name, c.Organisation), ", "), true
			}
		}
	}
	return "", false
}
