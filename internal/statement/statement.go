package statement

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// States of a statement.
const (
	StateDraft     = "draft"
	StateInReview  = "in_review"
	StateApproved  = "approved"
	StatePublished = "published"
)

// Audit actions.
const (
	ActionDrafted       = "drafted"
	ActionEdited        = "edited"
	ActionSubmitted     = "submitted"
	ActionApproved      = "approved"
	ActionLegalApproved = "legal_approved"
	ActionRejected      = "rejected"
	ActionPublished     = "published"
	ActionPublishFailed = "publish_failed"
)

// Store is what the composer keeps; the sqlite and postgres stores implement it.
type Store interface {
	IncidentByID(ctx context.Context, id int64) (store.Incident, error)
	store.Statements
}

// Timeline puts statement steps on the incident's timeline; *incident.Service is one. EventChange
// builds the entry and its effect on the incident's clocks, which the store writes in the step's own
// transaction; Recorded is told once it is written.
type Timeline interface {
	EventChange(inc store.Incident, ev incident.Event, at time.Time) (*store.IncidentChange, error)
	Recorded(c *store.IncidentChange)
}

// Config is the composer's configuration, from the crisis plan.
type Config struct {
	// Rules are the plan's conduct rules: forbidden words, jargon and the form of address.
	Rules respond.Rules
	// Linter, when set, is asked at every check for the linter of the newest conduct rules instead of
	// the one compiled from Rules, so that conduct rules stored while serving apply without a restart.
	// It must be cheap: serve compiles the rules once per plan version.
	Linter func() *respond.Linter
	// Templates are the plan's pre-approved statements.
	Templates []respond.Template
	// TemplateSource, when set, is asked for the templates at each use instead of Templates, so that a
	// template edited or approved since the start is offered at once.
	TemplateSource func(ctx context.Context) ([]respond.Template, error)
	// Platforms get a variant each; nil is every platform respond knows.
	Platforms []respond.Platform
	// LegalUpTo is the least severe incident severity that needs a legal approval: 2 means 1 and 2.
	// 0 never needs one.
	LegalUpTo int
	// PublishTimeout bounds publishing one part of a statement on a channel, so that a server that
	// stops answering cannot hold the request for ever; a thread gets it once per part. Zero is
	// DefaultPublishTimeout.
	PublishTimeout time.Duration
}

// DefaultPublishTimeout is the time one part of a statement may take to publish on a channel.
const DefaultPublishTimeout = 30 * time.Second

// Actor is the user doing a step.
type Actor struct {
	Email string
	// Legal: the user may give the legal approval (see IsLegal).
	Legal bool
}

// IsLegal reports whether the user with email may give the legal approval under p: their plan person
// has the legal role, or they are an admin and the plan names no legal person with an e-mail.
func IsLegal(p plan.Plan, email string, admin bool) bool {
	named := false
	for _, per := range p.People {
		if !per.HasRole(plan.RoleLegal) || per.Email == "" {
			continue
		}
		named = true
		if strings.EqualFold(per.Email, email) {
			return true
		}
	}
	return admin && !named
}

// RulesFromPlan is the linter's view of the plan's conduct rules.
func RulesFromPlan(p plan.Plan) respond.Rules {
	var r respond.Rules
	for _, t := range p.Conduct.Forbidden {
		r.Forbidden = append(r.Forbidden, respond.Term{Word: t.Word, Instead: t.Instead})
	}
	for _, t := range p.Conduct.Jargon {
		r.Jargon = append(r.Jargon, respond.Term{Word: t.Word, Instead: t.Instead})
	}
	form := p.Conduct.Form
	if form == "" {
		form = p.Organisation.Form
	}
	r.Form = respond.Form(form)
	return r
}

// Service runs the composer's workflow.
type Service struct {
	store    Store
	timeline Timeline
	clk      clock.Clock
	cfg      Config
	linter   *respond.Linter
	logger   *slog.Logger
	steps    *prometheus.CounterVec
	posts    *prometheus.CounterVec
}

// New returns a Service. A nil logger discards; a nil registerer registers nothing.
func New(st Store, tl Timeline, clk clock.Clock, cfg Config, logger *slog.Logger, reg prometheus.Registerer) (*Service, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = DefaultPublishTimeout
	}
	if cfg.Platforms == nil {
		cfg.Platforms = respond.Platforms()
	}
	l, err := respond.NewLinter(cfg.Rules)
	if err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	s := &Service{store: st, timeline: tl, clk: clk, cfg: cfg, linter: l, logger: logger.With("component", "statement"),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crisisdesk_statement_steps_total",
			Help: "Steps of the statement workflow, by action."}, []string{"action"}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crisisdesk_statement_publications_total",
			Help: "Publication attempts of statements on a channel, by platform and outcome."}, []string{"platform", "outcome"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{s.steps, s.posts} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("statement: register metrics: %w", err)
			}
		}
	}
	return s, nil
}

// templates returns the plan's templates as they are now.
func (s *Service) templates(ctx context.Context) ([]respond.Template, error) {
	if s.cfg.TemplateSource == nil {
		return s.cfg.Templates, nil
	}
	ts, err := s.cfg.TemplateSource(ctx)
	if err != nil {
		return nil, fmt.Errorf("statement: templates: %w", err)
	}
	return ts, nil
}

// Templates returns the plan's approved templates in lang and form (a template without a form fits
// both), and its drafts too when drafts is set: the kinds the incident's SCCT advice recommends first,
// in the advice's order, then the rest by id.
func (s *Service) Templates(ctx context.Context, inc store.Incident, lang, form string, drafts bool) ([]respond.Template, error) {
	all, err := s.templates(ctx)
	if err != nil {
		return nil, err
	}
	var order []string
	if inc.CrisisType != "" {
		if a, err := incident.Advise(inc.CrisisType, inc.Intensifiers); err == nil {
			order = a.TemplateKinds
		}
	}
	rank := func(kind string) int {
		if i := slices.Index(order, kind); i >= 0 {
			return i
		}
		return len(order)
	}
	var out []respond.Template
	for _, t := range all {
		if string(t.Lang) == lang && (form == "" || t.Form == "" || string(t.Form) == form) && (drafts || t.Approved()) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b respond.Template) int {
		if d := rank(a.Kind) - rank(b.Kind); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Template returns the plan's template id, whatever its status.
func (s *Service) Template(ctx context.Context, id string) (respond.Template, bool, error) {
	all, err := s.templates(ctx)
	if err != nil {
		return respond.Template{}, false, err
	}
	for _, t := range all {
		if t.ID == id {
			return t, true, nil
		}
	}
	return respond.Template{}, false, nil
}

// Draft is what a new statement starts from.
type Draft struct {
	Lang, Form string
	// TemplateID, when set, renders the core message from that template with Vars; else Core is used.
	TemplateID string
	Vars       map[string]string
	Core       string
}

// Create drafts a new statement for an incident and records it on the timeline. It returns the
// statement with the render warnings of any variable left unfilled.
func (s *Service) Create(ctx context.Context, incidentID int64, d Draft, by Actor) (store.Statement, []respond.RenderWarning, error) {
	if _, err := s.store.IncidentByID(ctx, incidentID); err != nil {
		return store.Statement{}, nil, fmt.Errorf("statement: draft for incident %d: %w", incidentID, err)
	}
	st := store.Statement{IncidentID: incidentID, State: StateDraft, Author: by.Email,
		Platforms: platformNames(s.cfg.Platforms)}
	ws, err := s.fill(ctx, &st, d)
	if err != nil {
		return store.Statement{}, nil, err
	}
	now := s.clk.Now()
	st.CreatedAt, st.UpdatedAt = now, now
	c := store.StatementChange{Statement: &st,
		Audit:      &store.StatementAudit{At: now, Actor: by.Email, Action: ActionDrafted, Version: 1},
		NewVersion: &store.StatementVersion{Version: 1, Core: st.Core, Vars: st.Vars, Edits: st.Edits, Author: by.Email, At: now}}
	if err := s.save(ctx, c, true, incident.EntryStatementDrafted, by.Email, "", now); err != nil {
		return store.Statement{}, nil, fmt.Errorf("statement: draft for incident %d: %w", incidentID, err)
	}
	s.steps.WithLabelValues(ActionDrafted).Inc()
	return st, ws, nil
}

func (s *Service) fill(ctx context.Context, st *store.Statement, d Draft) ([]respond.RenderWarning, error) {
	if _, err := respond.ParseLang(d.Lang); err != nil || d.Lang == "" {
		return nil, refuse("bad_lang", d.Lang)
	}
	if _, err := respond.ParseForm(d.Form); err != nil {
		return nil, refuse("bad_form", d.Form)
	}
	st.Lang, st.Form, st.Vars = d.Lang, d.Form, maps.Clone(d.Vars)
	core, ws := d.Core, []respond.RenderWarning(nil)
	if d.TemplateID != "" {
		t, ok, err := s.Template(ctx, d.TemplateID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, refuse("unknown_template", d.TemplateID)
		}
		st.TemplateID, st.TemplateVersion = t.ID, t.Version
		core, ws = respond.Render(t.Text, d.Vars, respond.Lang(d.Lang))
	}
	st.Core = strings.TrimSpace(core)
	if st.Core == "" {
		return nil, refuse("empty_core")
	}
	return ws, nil
}

func platformNames(ps []respond.Platform) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// Edit is a change to a draft's content. Edits are the per-platform texts adapted by hand; a platform
// left out, or given the core message itself, follows the core.
type Edit struct {
	Core  string
	Vars  map[string]string
	Edits map[string]string
}

// Update writes an edit of a draft as a new version. rev is the Rev the editor read, so that two people
// editing at once cannot overwrite each other (store.ErrConflict).
func (s *Service) Update(ctx context.Context, id, rev int64, e Edit, by Actor) (store.Statement, error) {
	return s.step(ctx, id, rev, by, ActionEdited, "", func(st *store.Statement, _ []store.StatementAudit) error {
		if st.State != StateDraft {
			return refuse("wrong_state", st.State)
		}
		core := strings.TrimSpace(e.Core)
		if core == "" {
			return refuse("empty_core")
		}
		edits := map[string]string{}
		for p, t := range e.Edits {
			if _, err := respond.ParsePlatform(p); err != nil || !slices.Contains(st.Platforms, p) {
				return refuse("bad_platform", p)
			}
			if t = strings.TrimSpace(t); t != "" && t != core {
				edits[p] = t
			}
		}
		st.Core, st.Edits = core, edits
		if e.Vars != nil {
			st.Vars = maps.Clone(e.Vars)
		}
		st.Version++
		return nil
	})
}

// Submit puts a draft up for review. A core message or variant with a variable still unfilled cannot be
// submitted: it would be published with a hole in it.
func (s *Service) Submit(ctx context.Context, id, rev int64, by Actor) (store.Statement, error) {
	return s.step(ctx, id, rev, by, ActionSubmitted, "", func(st *store.Statement, _ []store.StatementAudit) error {
		if st.State != StateDraft {
			return refuse("wrong_state", st.State)
		}
		var holes []string
		for _, t := range append([]string{st.Core}, slices.Sorted(maps.Values(st.Edits))...) {
			_, ws := respond.Render(t, nil, respond.Lang(st.Lang))
			for _, w := range ws {
				name := w.Variable
				if w.Malformed {
					name = t[w.Start:w.End]
				}
				if !slices.Contains(holes, name) {
					holes = append(holes, name)
				}
			}
		}
		if len(holes) > 0 {
			return refuse("unfilled_variables", strings.Join(holes, ", "))
		}
		st.State = StateInReview
		return nil
	})
}

// Approval says which approvals the version in review has, and which it still needs.
type Approval struct {
	Approvers      []string // who approved the version in review
	Legal          []string // who of them gave the legal approval
	NeedsLegal     bool
	HasApproval    bool
	HasLegal       bool
	ApprovedByBoth bool
}

// approvalOf reads the approvals of st's current version since it was last submitted.
func approvalOf(st store.Statement, audit []store.StatementAudit, needsLegal bool) Approval {
	a := Approval{NeedsLegal: needsLegal}
	for _, e := range audit {
		if e.Version != st.Version {
			continue
		}
		switch e.Action {
		case ActionSubmitted, ActionRejected:
			a.Approvers, a.Legal = nil, nil
		case ActionApproved:
			a.Approvers = append(a.Approvers, e.Actor)
		case ActionLegalApproved:
			a.Approvers = append(a.Approvers, e.Actor)
			a.Legal = append(a.Legal, e.Actor)
		}
	}
	a.HasApproval = len(a.Approvers) > 0
	a.HasLegal = len(a.Legal) > 0
	a.ApprovedByBoth = a.HasApproval && (!needsLegal || a.HasLegal)
	return a
}

// Approval returns the approvals of a statement's current version.
func (s *Service) Approval(ctx context.Context, st store.Statement) (Approval, error) {
	needs, err := s.needsLegal(ctx, st.IncidentID)
	if err != nil {
		return Approval{}, err
	}
	audit, err := s.store.StatementAuditLog(ctx, st.ID)
	if err != nil {
		return Approval{}, fmt.Errorf("statement: approval of %d: %w", st.ID, err)
	}
	return approvalOf(st, audit, needs), nil
}

func (s *Service) needsLegal(ctx context.Context, incidentID int64) (bool, error) {
	inc, err := s.store.IncidentByID(ctx, incidentID)
	if err != nil {
		return false, fmt.Errorf("statement: incident %d: %w", incidentID, err)
	}
	return s.cfg.LegalUpTo > 0 && inc.Severity <= s.cfg.LegalUpTo, nil
}

// Approve approves the statement in review. The author never can. When the incident needs a legal
// approval, an approver who may give it gives it; the statement is approved once it has an approval and,
// where needed, a legal one.
func (s *Service) Approve(ctx context.Context, id, rev int64, comment string, by Actor) (store.Statement, error) {
	needs := false
	action := ActionApproved
	if by.Legal {
		action = ActionLegalApproved
	}
	return s.step(ctx, id, rev, by, action, comment, func(st *store.Statement, audit []store.StatementAudit) error {
		if st.State != StateInReview {
			return refuse("wrong_state", st.State)
		}
		if strings.EqualFold(st.Author, by.Email) {
			return refuse("own_statement")
		}
		// Whoever wrote any version of the text is one of its authors: four eyes means a reader who
		// did not write it.
		versions, err := s.store.StatementVersions(ctx, st.ID)
		if err != nil {
			return fmt.Errorf("statement %d: versions: %w", st.ID, err)
		}
		for _, v := range versions {
			if strings.EqualFold(v.Author, by.Email) {
				return refuse("own_statement")
			}
		}
		if needs, err = s.needsLegal(ctx, st.IncidentID); err != nil {
			return err
		}
		a := approvalOf(*st, audit, needs)
		if slices.Contains(a.Approvers, by.Email) {
			return refuse("already_approved")
		}
		a.Approvers = append(a.Approvers, by.Email)
		a.HasApproval = true
		a.HasLegal = a.HasLegal || by.Legal
		if !needs || a.HasLegal {
			st.State = StateApproved
		}
		return nil
	})
}

// Reject sends a statement in review back to its author as a draft, with the reason.
func (s *Service) Reject(ctx context.Context, id, rev int64, comment string, by Actor) (store.Statement, error) {
	return s.step(ctx, id, rev, by, ActionRejected, comment, func(st *store.Statement, _ []store.StatementAudit) error {
		if st.State != StateInReview {
			return refuse("wrong_state", st.State)
		}
		if strings.TrimSpace(comment) == "" {
			return refuse("reject_comment")
		}
		st.State = StateDraft
		return nil
	})
}

// step reads a statement, lets change check the rules and change it, and saves it with an audit entry
// (and a history version when the content version went up).
func (s *Service) step(ctx context.Context, id, rev int64, by Actor, action, comment string,
	change func(st *store.Statement, audit []store.StatementAudit) error) (store.Statement, error) {
	st, err := s.store.StatementByID(ctx, id)
	if err != nil {
		return store.Statement{}, fmt.Errorf("statement %d: %s: %w", id, action, err)
	}
	if st.Rev != rev {
		return st, fmt.Errorf("statement %d: %s: %w", id, action, store.ErrConflict)
	}
	audit, err := s.store.StatementAuditLog(ctx, id)
	if err != nil {
		return st, fmt.Errorf("statement %d: %s: %w", id, action, err)
	}
	version, state := st.Version, st.State
	if err := change(&st, audit); err != nil {
		return st, err
	}
	now := s.clk.Now()
	st.UpdatedAt = now
	c := store.StatementChange{Statement: &st,
		Audit: &store.StatementAudit{At: now, Actor: by.Email, Action: action, Version: st.Version, Comment: strings.TrimSpace(comment)}}
	if st.Version != version {
		c.NewVersion = &store.StatementVersion{Version: st.Version, Core: st.Core, Vars: st.Vars, Edits: st.Edits, Author: by.Email, At: now}
	}
	kind := ""
	if st.State == StateApproved && state != StateApproved {
		// The approval that completes it is the step the timeline shows.
		kind = incident.EntryStatementApproved
	}
	if err := s.save(ctx, c, false, kind, by.Email, "", now); err != nil {
		return st, fmt.Errorf("statement %d: %s: %w", id, action, err)
	}
	s.steps.WithLabelValues(action).Inc()
	return st, nil
}

// save writes c, with the timeline entry of kind when kind is set, in one transaction. When the
// incident changed between reading it and writing (ErrConflict while the statement itself is as
// read), it reads the incident again and retries.
func (s *Service) save(ctx context.Context, c store.StatementChange, create bool, kind, author, channel string, at time.Time) error {
	for attempt := 1; ; attempt++ {
		var written *store.IncidentChange
		if kind != "" && s.timeline != nil {
			inc, err := s.store.IncidentByID(ctx, c.Statement.IncidentID)
			if err != nil {
				return fmt.Errorf("incident %d: %w", c.Statement.IncidentID, err)
			}
			c.Timeline = func(st store.Statement) (*store.IncidentChange, error) {
				ch := channel
				if ch == "" {
					// Drafted and approved apply to every platform the statement has a variant for.
					ch = strings.Join(st.Platforms, ", ")
				}
				ic, err := s.timeline.EventChange(inc, incident.Event{Kind: kind, Author: author,
					Details: incident.Details{Statement: "#" + strconv.FormatInt(st.ID, 10) + " " + excerpt(st.Core, 80), Channel: ch}}, at)
				written = ic
				return ic, err
			}
		}
		var err error
		if create {
			err = s.store.CreateStatement(ctx, c)
		} else {
			err = s.store.SaveStatement(ctx, c)
		}
		if err == nil {
			if written != nil {
				s.timeline.Recorded(written)
			}
			return nil
		}
		if !errors.Is(err, store.ErrConflict) || c.Timeline == nil || attempt == conflictAttempts {
			return err
		}
		if !create {
			cur, rerr := s.store.StatementByID(ctx, c.Statement.ID)
			if rerr != nil || cur.Rev != c.Statement.Rev {
				return err // the statement itself changed: the caller's form is stale
			}
		}
	}
}

// conflictAttempts bounds the retries of a step whose incident keeps changing underneath it.
const conflictAttempts = 5

// excerpt is the start of s, at most n runes, cut at a space where one is near, with an ellipsis when
// cut, so a timeline line says which statement it is about.
func excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	cut := n
	for i := n; i > n*2/3; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return string(r[:cut]) + "…"
}

// Check is what the composer shows of a statement: its variants, the lint result of the core message
// and of each variant, and where the variants differ from the core's key facts.
type Check struct {
	Core            respond.Result
	Variants        []respond.Variant
	Results         []respond.Result // by variant
	Inconsistencies []respond.Inconsistency
	Preventable     bool // the incident is in the preventable SCCT cluster, so no_empathy asks for an apology
}

// Errors counts the findings of severity error over the core, the variants and the consistency check.
func (c Check) Errors() int {
	n := 0
	for _, r := range append([]respond.Result{c.Core}, c.Results...) {
		for _, f := range r.Findings {
			if f.Severity == respond.SeverityError {
				n++
			}
		}
	}
	for _, i := range c.Inconsistencies {
		if i.Severity == respond.SeverityError {
			n++
		}
	}
	return n
}

// Variants composes st's per-platform variants.
func Variants(st store.Statement) []respond.Variant {
	ps := make([]respond.Platform, 0, len(st.Platforms))
	for _, p := range st.Platforms {
		ps = append(ps, respond.Platform(p))
	}
	edits := make(map[respond.Platform]string, len(st.Edits))
	for p, t := range st.Edits {
		edits[respond.Platform(p)] = t
	}
	return respond.Compose(st.Core, ps, edits)
}

// Check lints st for the incident it belongs to.
func (s *Service) Check(st store.Statement, inc store.Incident) Check {
	c := Check{Variants: Variants(st)}
	if inc.CrisisType != "" {
		if a, err := incident.Advise(inc.CrisisType, inc.Intensifiers); err == nil {
			c.Preventable = a.Cluster == incident.ClusterPreventable
		}
	}
	o := respond.Options{Lang: respond.Lang(st.Lang), Form: respond.Form(st.Form), Preventable: c.Preventable}
	l := s.linter
	if s.cfg.Linter != nil {
		if cur := s.cfg.Linter(); cur != nil {
			l = cur
		}
	}
	c.Core = l.Lint(st.Core, o)
	for _, v := range c.Variants {
		c.Results = append(c.Results, l.LintVariant(v, o))
	}
	c.Inconsistencies = respond.Consistency(st.Core, c.Variants, respond.Lang(st.Lang))
	return c
}

// Statement returns one statement.
func (s *Service) Statement(ctx context.Context, id int64) (store.Statement, error) {
	st, err := s.store.StatementByID(ctx, id)
	if err != nil {
		return store.Statement{}, fmt.Errorf("statement %d: %w", id, err)
	}
	return st, nil
}

// List returns the statements of an incident.
func (s *Service) List(ctx context.Context, incidentID int64) ([]store.Statement, error) {
	l, err := s.store.StatementsByIncident(ctx, incidentID)
	if err != nil {
		return nil, fmt.Errorf("statements of incident %d: %w", incidentID, err)
	}
	return l, nil
}

// IsRefusal reports whether err is a workflow refusal a user can act on, and returns it.
func IsRefusal(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// AllTemplates returns every template of the plan, as the plan lists them.
func (s *Service) AllTemplates(ctx context.Context) ([]respond.Template, error) {
	all, err := s.templates(ctx)
	return slices.Clone(all), err
}

// History is what the statement page shows besides the statement: its edit history, audit log and
// publication attempts.
type History struct {
	Versions     []store.StatementVersion
	Audit        []store.StatementAudit
	Publications []store.Publication
}

// History reads the history of statement id.
func (s *Service) History(ctx context.Context, id int64) (History, error) {
	var h History
	var err error
	if h.Versions, err = s.store.StatementVersions(ctx, id); err != nil {
		return h, fmt.Errorf("statement %d: history: %w", id, err)
	}
	if h.Audit, err = s.store.StatementAuditLog(ctx, id); err != nil {
		return h, fmt.Errorf("statement %d: history: %w", id, err)
	}
	if h.Publications, err = s.store.Publications(ctx, id); err != nil {
		return h, fmt.Errorf("statement %d: history: %w", id, err)
	}
	return h, nil
}

// PlanTemplates is a TemplateSource reading the templates of the newest stored plan, so that an edit or
// approval counts at the next use.
func PlanTemplates(vs plan.Versions) func(ctx context.Context) ([]respond.Template, error) {
	return func(ctx context.Context) ([]respond.Template, error) {
		p, _, _, err := plan.Current(ctx, vs)
		if err != nil {
			return nil, err
		}
		return p.Templates, nil
	}
}
