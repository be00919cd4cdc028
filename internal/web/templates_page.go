package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// templateStep is one step of a template's history as its page shows it, with what the step changed
// in the text.
type templateStep struct {
	plan.TemplateVersion
	Diff []diffPart // the text against the step before; nil when the text did not change
}

// templatePageBody is /templates/{id}: the template now, the forms to edit and approve it, and its
// history, newest first.
type templatePageBody struct {
	Template templateView
	Steps    []templateStep
	Authors  []string
	CanAct   bool
	// Own: the visitor wrote this version, so the approve button is replaced by a note.
	Own bool
	// Text and Problems are an edit that was not saved, shown again with what was wrong.
	Text     string
	Problems []string
}

// templateHistory is the store's plan history, when the server has one.
func (s *Server) templateHistory() (plan.History, bool) {
	h, ok := s.deps.Plans.(plan.History)
	return h, ok && s.deps.Plans != nil
}

// templatePage shows one template with its history.
func (s *Server) templatePage(w http.ResponseWriter, r *http.Request, v *visit) {
	s.showTemplate(w, r, v, "", nil, http.StatusOK)
}

func (s *Server) showTemplate(w http.ResponseWriter, r *http.Request, v *visit, text string, problems []string, status int) {
	h, ok := s.templateHistory()
	if !ok {
		s.notFound(w, r, v)
		return
	}
	hist, err := plan.TemplateHistory(r.Context(), h, r.PathValue("id"))
	if s.templateProblem(w, r, v, err) {
		return
	}
	cur := hist[len(hist)-1]
	if cur.Change == plan.TemplateRemoved {
		s.notFound(w, r, v)
		return
	}
	b := templatePageBody{Template: templateView{Template: cur.Template, Vars: cur.Variables()},
		Authors: plan.TemplateAuthors(hist), CanAct: v.id.Can(auth.HandleIncidents), Text: text, Problems: problems}
	if b.Text == "" {
		b.Text = cur.Text
	}
	b.Own = slices.ContainsFunc(b.Authors, func(a string) bool { return strings.EqualFold(a, v.id.User.Email) })
	for i, step := range hist {
		ts := templateStep{TemplateVersion: step}
		if i > 0 && hist[i-1].Text != step.Text {
			ts.Diff = wordDiff(hist[i-1].Text, step.Text)
		}
		b.Steps = append(b.Steps, ts)
	}
	slices.Reverse(b.Steps)
	p := s.newPage(r, v, "statement.tpl_title", "templates", b)
	p.Status = status
	if len(problems) > 0 {
		p.Error = "statement.tpl_not_saved"
	}
	if done := r.URL.Query().Get("done"); done == "edited" || done == "approved" {
		p.Notice = "statement.tpl_done_" + done
	}
	s.render(w, r, v, "template", p)
}

// templateEdit saves the posted text as a new draft version of the template.
func (s *Server) templateEdit(w http.ResponseWriter, r *http.Request, v *visit) {
	text := r.PostFormValue("text")
	s.templateStep(w, r, v, "edited", func(h plan.TemplateStore, id string, base int) error {
		_, err := plan.EditTemplate(r.Context(), h, id, base, text, v.id.User.Email, s.deps.Clock.Now())
		var errs plan.Errors
		if errors.As(err, &errs) {
			var probs []string
			for _, e := range errs {
				probs = append(probs, e.Text(v.lang))
			}
			s.showTemplate(w, r, v, text, probs, http.StatusUnprocessableEntity)
			return errTemplateShown
		}
		return err
	})
}

// templateApprove approves the template's current draft version, when the visitor did not write it.
func (s *Server) templateApprove(w http.ResponseWriter, r *http.Request, v *visit) {
	s.templateStep(w, r, v, "approved", func(h plan.TemplateStore, id string, base int) error {
		_, err := plan.ApproveTemplate(r.Context(), h, id, base, v.id.User.Email, s.deps.Clock.Now())
		return err
	})
}

// errTemplateShown tells templateStep that the step answered the request itself.
var errTemplateShown = errors.New("template step answered")

// templateStep runs one step (done: edited or approved) on the template of the path, at the version
// the form was read at, and answers with the template page or the step's problem.
func (s *Server) templateStep(w http.ResponseWriter, r *http.Request, v *visit, done string, step func(h plan.TemplateStore, id string, base int) error) {
	h, ok := s.deps.Plans.(plan.TemplateStore)
	if !ok || s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	id := r.PathValue("id")
	base, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		s.renderError(w, r, v, http.StatusBadRequest, "incidents.bad_form")
		return
	}
	err = step(h, id, base)
	if errors.Is(err, errTemplateShown) || s.templateProblem(w, r, v, err) {
		return
	}
	s.log.Info("template "+done, "template", id, "user_id", v.id.User.ID)
	http.Redirect(w, r, "/templates/"+url.PathEscape(id)+"?done="+done, http.StatusSeeOther)
}

// templateProblem shows a refused template step in the user's language, a stale form as a conflict,
// and anything else as an error. It reports whether there was a problem.
func (s *Server) templateProblem(w http.ResponseWriter, r *http.Request, v *visit, err error) bool {
	if err == nil {
		return false
	}
	var refusal *plan.TemplateRefusal
	var errs plan.Errors
	switch {
	case errors.As(err, &refusal):
		p := s.newPage(r, v, "error.title", "templates", nil)
		p.Status = http.StatusUnprocessableEntity
		p.Body = incidentRefusal{Text: refusal.Message(v.lang), Back: returnPath(r)}
		s.render(w, r, v, "incident_refused", p)
	case errors.As(err, &errs):
		// The stored plan no longer validates; the plan editor shows why.
		s.log.Warn("template step on a plan that does not validate", "path", r.URL.Path, "err", err)
		s.renderError(w, r, v, http.StatusConflict, "statement.tpl_plan_invalid")
	case errors.Is(err, store.ErrConflict):
		s.renderError(w, r, v, http.StatusConflict, "statement.tpl_conflict")
	case errors.Is(err, store.ErrNotFound):
		s.notFound(w, r, v)
	default:
		s.log.Error("template action", "path", r.URL.Path, "err", err)
		s.serverError(w, r, v)
	}
	return true
}
