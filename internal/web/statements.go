package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// StatementService is what the composer's pages call. *statement.Service is one; it checks every rule
// of the approval workflow and records each step.
type StatementService interface {
	AllTemplates(ctx context.Context) ([]respond.Template, error)
	Templates(ctx context.Context, inc store.Incident, lang, form string, drafts bool) ([]respond.Template, error)
	Template(ctx context.Context, id string) (respond.Template, bool, error)
	List(ctx context.Context, incidentID int64) ([]store.Statement, error)
	Statement(ctx context.Context, id int64) (store.Statement, error)
	History(ctx context.Context, id int64) (statement.History, error)
	Check(st store.Statement, inc store.Incident) statement.Check
	Approval(ctx context.Context, st store.Statement) (statement.Approval, error)
	Create(ctx context.Context, incidentID int64, d statement.Draft, by statement.Actor) (store.Statement, []respond.RenderWarning, error)
	Update(ctx context.Context, id, rev int64, e statement.Edit, by statement.Actor) (store.Statement, error)
	Submit(ctx context.Context, id, rev int64, by statement.Actor) (store.Statement, error)
	Approve(ctx context.Context, id, rev int64, comment string, by statement.Actor) (store.Statement, error)
	Reject(ctx context.Context, id, rev int64, comment string, by statement.Actor) (store.Statement, error)
	Publish(ctx context.Context, id int64, chs statement.Channels, channelIDs []string, by statement.Actor) ([]statement.Result, error)
	MarkPublished(ctx context.Context, id int64, channel, link string, by statement.Actor) (store.Publication, error)
}

// StatementLegal tells whether a user may give the legal approval (statement.IsLegal on the current
// plan).
type StatementLegal func(ctx context.Context, email string, admin bool) (bool, error)

// statementActor is the signed-in user as the composer sees them.
func (s *Server) statementActor(ctx context.Context, v *visit) (statement.Actor, error) {
	a := statement.Actor{Email: v.id.User.Email}
	if s.deps.StatementLegal != nil {
		legal, err := s.deps.StatementLegal(ctx, a.Email, v.id.Role == auth.Admin)
		if err != nil {
			return a, err
		}
		a.Legal = legal
	}
	return a, nil
}

// statementProblem shows a refused step in the user's language, a stale form as a conflict, and
// anything else as an error. It reports whether there was a problem.
func (s *Server) statementProblem(w http.ResponseWriter, r *http.Request, v *visit, err error) bool {
	if err == nil {
		return false
	}
	if e, ok := statement.IsRefusal(err); ok {
		p := s.newPage(r, v, "error.title", "incidents", nil)
		p.Status = http.StatusUnprocessableEntity
		p.Body = incidentRefusal{Text: e.Message(v.lang), Back: returnPath(r)}
		s.render(w, r, v, "incident_refused", p)
		return true
	}
	if errors.Is(err, store.ErrConflict) {
		s.renderError(w, r, v, http.StatusConflict, "statement.conflict")
		return true
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r, v)
		return true
	}
	s.log.Error("statement action", "path", r.URL.Path, "err", err)
	s.serverError(w, r, v)
	return true
}

// templateView is a template as the pages list it.
type templateView struct {
	respond.Template
	Vars        []string
	Recommended bool
}

// templatesPage lists the plan's pre-approved statements.
func (s *Server) templatesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Statements == nil {
		s.notFound(w, r, v)
		return
	}
	all, err := s.deps.Statements.AllTemplates(r.Context())
	if s.statementProblem(w, r, v, err) {
		return
	}
	var list []templateView
	for _, t := range all {
		list = append(list, templateView{Template: t, Vars: t.Variables()})
	}
	s.render(w, r, v, "statement_templates", s.newPage(r, v, "statement.templates_title", "templates", list))
}

// statementsBody is the list of an incident's statements with the form to start a new one.
type statementsBody struct {
	Incident   store.Incident
	Statements []store.Statement
	Templates  []templateView
	Lang, Form string
	// Drafts: the draft templates are offered too, marked, besides the approved ones.
	Drafts bool
	CanAct bool
}

// statementsPage lists an incident's statements and offers the templates, the SCCT advice's first.
func (s *Server) statementsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	inc, ok := s.statementIncident(w, r, v)
	if !ok {
		return
	}
	list, err := s.deps.Statements.List(r.Context(), inc.ID)
	if s.statementProblem(w, r, v, err) {
		return
	}
	lang := r.URL.Query().Get("lang")
	if lang != "nl" && lang != "en" {
		lang = inc.Lang
	}
	form := r.URL.Query().Get("form")
	if form != "u" && form != "jij" {
		form = ""
	}
	b := statementsBody{Incident: inc, Statements: list, Lang: lang, Form: form, CanAct: v.id.Can(auth.HandleIncidents),
		Drafts: r.URL.Query().Get("drafts") == "1"}
	b.Templates, err = s.templateViews(r.Context(), inc, lang, form, b.Drafts)
	if s.statementProblem(w, r, v, err) {
		return
	}
	s.render(w, r, v, "statements", s.newPage(r, v, "statement.list_title", "incidents", b))
}

func (s *Server) templateViews(ctx context.Context, inc store.Incident, lang, form string, drafts bool) ([]templateView, error) {
	var kinds []string
	if inc.CrisisType != "" {
		if a, err := incident.Advise(inc.CrisisType, inc.Intensifiers); err == nil {
			kinds = a.TemplateKinds
		}
	}
	ts, err := s.deps.Statements.Templates(ctx, inc, lang, form, drafts)
	if err != nil {
		return nil, err
	}
	var out []templateView
	for _, t := range ts {
		out = append(out, templateView{Template: t, Vars: t.Variables(), Recommended: slices.Contains(kinds, t.Kind)})
	}
	return out, nil
}

// statementIncident reads the incident of the path; it has written the answer when it returns false.
func (s *Server) statementIncident(w http.ResponseWriter, r *http.Request, v *visit) (store.Incident, bool) {
	id, ok := incidentID(r)
	if s.deps.Statements == nil || s.deps.Incidents == nil || !ok {
		s.notFound(w, r, v)
		return store.Incident{}, false
	}
	room, err := s.deps.Incidents.Room(r.Context(), id)
	if s.statementProblem(w, r, v, err) {
		return store.Incident{}, false
	}
	return room.Incident, true
}

// statementNewBody is the form that fills in one template.
type statementNewBody struct {
	Incident store.Incident
	Template templateView
}

// statementNewForm shows the chosen template with a field per variable.
func (s *Server) statementNewForm(w http.ResponseWriter, r *http.Request, v *visit) {
	inc, ok := s.statementIncident(w, r, v)
	if !ok {
		return
	}
	t, found, err := s.deps.Statements.Template(r.Context(), r.URL.Query().Get("template"))
	if s.statementProblem(w, r, v, err) {
		return
	}
	if !found {
		s.notFound(w, r, v)
		return
	}
	b := statementNewBody{Incident: inc, Template: templateView{Template: t, Vars: t.Variables()}}
	s.render(w, r, v, "statement_new", s.newPage(r, v, "statement.new_title", "incidents", b))
}

// statementCreate drafts a statement from a template and its variables, or from a core message.
func (s *Server) statementCreate(w http.ResponseWriter, r *http.Request, v *visit) {
	inc, ok := s.statementIncident(w, r, v)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	d := statement.Draft{TemplateID: r.PostFormValue("template"), Core: r.PostFormValue("core"), Vars: map[string]string{}}
	t, found, err := s.deps.Statements.Template(r.Context(), d.TemplateID)
	if s.statementProblem(w, r, v, err) {
		return
	}
	if found {
		d.Lang, d.Form = string(t.Lang), string(t.Form)
		for _, name := range t.Variables() {
			d.Vars[name] = strings.TrimSpace(r.PostFormValue("var_" + name))
		}
	} else {
		d.Lang, d.Form = r.PostFormValue("lang"), r.PostFormValue("form")
	}
	by, err := s.statementActor(r.Context(), v)
	if s.statementProblem(w, r, v, err) {
		return
	}
	st, _, err := s.deps.Statements.Create(r.Context(), inc.ID, d, by)
	if s.statementProblem(w, r, v, err) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d/statements/%d?done=drafted", inc.ID, st.ID), http.StatusSeeOther)
}

// markedPart is a stretch of a text, marked when a finding or a placeholder covers it.
type markedPart struct {
	Text       string
	Mark       bool
	Severity   string
	Rule       string
	Message    string
	Suggestion string
}

type spanNote struct {
	start, end                          int
	severity, rule, message, suggestion string
}

// markSpans cuts text at the spans of notes. Overlapping notes keep the first by position; the others
// are listed with the findings but not marked, as one stretch can carry one mark.
func markSpans(text string, notes []spanNote) []markedPart {
	slices.SortStableFunc(notes, func(a, b spanNote) int { return a.start - b.start })
	var out []markedPart
	at := 0
	for _, n := range notes {
		if n.start < at || n.end > len(text) || n.start >= n.end || !utf8.RuneStart(text[n.start]) ||
			(n.end < len(text) && !utf8.RuneStart(text[n.end])) {
			// A span off the text or inside a character cannot be marked; the finding is still listed.
			continue
		}
		if n.start > at {
			out = append(out, markedPart{Text: text[at:n.start]})
		}
		out = append(out, markedPart{Text: text[n.start:n.end], Mark: true, Severity: n.severity, Rule: n.rule,
			Message: n.message, Suggestion: n.suggestion})
		at = n.end
	}
	if at < len(text) {
		out = append(out, markedPart{Text: text[at:]})
	}
	return out
}

func findingNotes(fs []respond.Finding) []spanNote {
	out := make([]spanNote, 0, len(fs))
	for _, f := range fs {
		out = append(out, spanNote{f.Start, f.End, string(f.Severity), f.Rule, f.Message, f.Suggestion})
	}
	return out
}

// variantView is one platform's variant as the statement page shows it.
type variantView struct {
	Platform string
	Text     string
	Edited   bool
	Marked   []markedPart
	Parts    []partView
	Findings []respond.Finding
	Issues   []respond.Inconsistency
	Over     bool
}

type partView struct {
	Text  string
	Used  int
	Limit int
	Unit  string
	Over  bool
}

type channelView struct {
	ID        string
	Name      string
	Platform  string
	Manual    bool
	Text      string // the copy-ready text of a manual channel
	Published *store.Publication
}

// statementBody is the statement page.
type statementBody struct {
	Incident    store.Incident
	Statement   store.Statement
	StateLabel  string
	Core        []markedPart
	CoreResult  respond.Result
	Holes       []respond.RenderWarning
	Variants    []variantView
	Issues      []respond.Inconsistency
	Errors      int
	Preventable bool
	Approval    statement.Approval
	History     statement.History
	Channels    []channelView
	IsAuthor    bool
	CanAct      bool
	Results     []publishResultView
}

type publishResultView struct {
	Channel string
	Links   []string
	Status  string
	Error   string
	Repeat  bool
}

func statementIDs(r *http.Request) (incID, id int64, ok bool) {
	incID, ok1 := incidentID(r)
	id, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	return incID, id, ok1 && err == nil && id > 0
}

// statementPage shows a statement: its core message and variants with their findings, the consistency
// check, the approvals, the channels and what was published where, and its history.
func (s *Server) statementPage(w http.ResponseWriter, r *http.Request, v *visit) {
	s.showStatement(w, r, v, nil)
}

func (s *Server) showStatement(w http.ResponseWriter, r *http.Request, v *visit, results []statement.Result) {
	inc, ok := s.statementIncident(w, r, v)
	if !ok {
		return
	}
	_, id, ok := statementIDs(r)
	if !ok {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	st, err := s.deps.Statements.Statement(ctx, id)
	if s.statementProblem(w, r, v, err) {
		return
	}
	if st.IncidentID != inc.ID {
		s.notFound(w, r, v)
		return
	}
	b := statementBody{Incident: inc, Statement: st, StateLabel: s.msgs.text(v.lang, "statement.state_"+st.State),
		IsAuthor: strings.EqualFold(st.Author, v.id.User.Email), CanAct: v.id.Can(auth.HandleIncidents)}
	check := s.deps.Statements.Check(st, inc)
	b.CoreResult, b.Issues, b.Errors, b.Preventable = check.Core, check.Inconsistencies, check.Errors(), check.Preventable
	_, b.Holes = respond.Render(st.Core, nil, respond.Lang(st.Lang))
	notes := findingNotes(check.Core.Findings)
	for _, h := range b.Holes {
		notes = append(notes, spanNote{h.Start, h.End, string(respond.SeverityError), "unfilled", h.Message, ""})
	}
	b.Core = markSpans(st.Core, notes)
	for i, va := range check.Variants {
		vv := variantView{Platform: string(va.Platform), Text: va.Text, Edited: st.Edits[string(va.Platform)] != "",
			Findings: check.Results[i].Findings, Over: va.Over()}
		vv.Marked = markSpans(va.Text, findingNotes(vv.Findings))
		for k, p := range va.Parts {
			l := va.Lengths[k]
			vv.Parts = append(vv.Parts, partView{Text: p, Used: l.Used, Limit: l.Limit, Unit: l.Unit, Over: l.Over()})
		}
		for _, is := range check.Inconsistencies {
			if is.Platform == va.Platform {
				vv.Issues = append(vv.Issues, is)
			}
		}
		b.Variants = append(b.Variants, vv)
	}
	if b.Approval, err = s.deps.Statements.Approval(ctx, st); s.statementProblem(w, r, v, err) {
		return
	}
	if b.History, err = s.deps.Statements.History(ctx, id); s.statementProblem(w, r, v, err) {
		return
	}
	if s.deps.StatementChannels != nil && (st.State == statement.StateApproved || st.State == statement.StatePublished) {
		chs, err := s.deps.StatementChannels.Channels(ctx)
		if s.statementProblem(w, r, v, err) {
			return
		}
		for _, c := range chs {
			cv := channelView{ID: c.ID, Name: c.Name, Platform: string(c.Platform), Manual: c.Manual()}
			for _, va := range check.Variants {
				if va.Platform == c.Platform {
					cv.Text = va.Text
				}
			}
			for i := range b.History.Publications {
				p := &b.History.Publications[i]
				if p.Channel == c.ID && p.Version == st.Version {
					cv.Published = p
				}
			}
			b.Channels = append(b.Channels, cv)
		}
	}
	for _, res := range results {
		rv := publishResultView{Channel: res.Channel, Links: res.Publication.Links, Status: res.Publication.Status, Repeat: res.Repeated}
		if res.Err != nil {
			rv.Error = statement.FailureMessage(res.Err, v.lang)
		}
		b.Results = append(b.Results, rv)
	}
	p := s.newPage(r, v, "statement.title", "incidents", b)
	if done := r.URL.Query().Get("done"); slices.Contains(statementNotices, done) {
		p.Notice = "statement.done_" + done
	}
	s.render(w, r, v, "statement", p)
}

// statementNotices are the steps whose success the statement page confirms.
var statementNotices = []string{"drafted", "edited", "submitted", "approved", "rejected", "published"}

// statementAction parses the form of a POST to a statement, runs do as the signed-in user, and returns
// to the statement page with a notice.
func (s *Server) statementAction(w http.ResponseWriter, r *http.Request, v *visit, done string,
	do func(ctx context.Context, id, rev int64, by statement.Actor) error) {
	incID, id, ok := statementIDs(r)
	if s.deps.Statements == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	st, err := s.deps.Statements.Statement(r.Context(), id)
	if s.statementProblem(w, r, v, err) {
		return
	}
	if st.IncidentID != incID {
		s.notFound(w, r, v)
		return
	}
	rev, err := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	if err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	by, err := s.statementActor(r.Context(), v)
	if s.statementProblem(w, r, v, err) {
		return
	}
	if s.statementProblem(w, r, v, do(r.Context(), id, rev, by)) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/incidents/%d/statements/%d?done=%s", incID, id, done), http.StatusSeeOther)
}

func (s *Server) statementEdit(w http.ResponseWriter, r *http.Request, v *visit) {
	s.statementAction(w, r, v, "edited", func(ctx context.Context, id, rev int64, by statement.Actor) error {
		e := statement.Edit{Core: r.PostFormValue("core"), Edits: map[string]string{}}
		for _, p := range respond.Platforms() {
			if t, ok := r.PostForm["variant_"+string(p)]; ok && len(t) == 1 {
				e.Edits[string(p)] = t[0]
			}
		}
		_, err := s.deps.Statements.Update(ctx, id, rev, e, by)
		return err
	})
}

func (s *Server) statementSubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	s.statementAction(w, r, v, "submitted", func(ctx context.Context, id, rev int64, by statement.Actor) error {
		_, err := s.deps.Statements.Submit(ctx, id, rev, by)
		return err
	})
}

func (s *Server) statementApprove(w http.ResponseWriter, r *http.Request, v *visit) {
	s.statementAction(w, r, v, "approved", func(ctx context.Context, id, rev int64, by statement.Actor) error {
		_, err := s.deps.Statements.Approve(ctx, id, rev, r.PostFormValue("comment"), by)
		return err
	})
}

func (s *Server) statementReject(w http.ResponseWriter, r *http.Request, v *visit) {
	s.statementAction(w, r, v, "rejected", func(ctx context.Context, id, rev int64, by statement.Actor) error {
		_, err := s.deps.Statements.Reject(ctx, id, rev, r.PostFormValue("comment"), by)
		return err
	})
}

// statementPublish publishes to the chosen channels and shows each channel's result on the page.
func (s *Server) statementPublish(w http.ResponseWriter, r *http.Request, v *visit) {
	incID, id, ok := statementIDs(r)
	if s.deps.Statements == nil || s.deps.StatementChannels == nil || !ok {
		s.notFound(w, r, v)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	st, err := s.deps.Statements.Statement(r.Context(), id)
	if s.statementProblem(w, r, v, err) {
		return
	}
	if st.IncidentID != incID {
		s.notFound(w, r, v)
		return
	}
	by, err := s.statementActor(r.Context(), v)
	if s.statementProblem(w, r, v, err) {
		return
	}
	results, err := s.deps.Statements.Publish(r.Context(), id, s.deps.StatementChannels, r.PostForm["channel"], by)
	if s.statementProblem(w, r, v, err) {
		return
	}
	// The results are shown on the page the post answers, so a refresh never posts again; the
	// publications on the page stay after a reload.
	s.showStatement(w, r, v, results)
}

func (s *Server) statementManual(w http.ResponseWriter, r *http.Request, v *visit) {
	s.statementAction(w, r, v, "published", func(ctx context.Context, id, _ int64, by statement.Actor) error {
		_, err := s.deps.Statements.MarkPublished(ctx, id, r.PostFormValue("channel"), r.PostFormValue("link"), by)
		return err
	})
}
