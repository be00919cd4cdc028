package web

import (
	"context"
	"errors"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The structured plan forms edit one part of the plan at a time: contacts, schedules, escalation
// policies, routes, the protocol, the conduct rules, the moderation policy and the organisation. Every save goes the same way: read the
// version the form was shown with, change a copy of the plan, write it as YAML, validate it with the
// same code as `crisisdesk plan import`, and store it as the next version only if nobody saved
// another one in between. A refused save shows the form as filled in, with each problem next to its
// field and every problem of the plan listed at the top.

// planFormBody is what every structured plan page gets.
type planFormBody struct {
	Plan     *plan.Plan
	Version  int64
	Problems []planProblem // every problem of a refused save
	// Errs are the problems of the item in the form, by YAML path relative to that item.
	Errs fieldErrs
	// Form is the item in the form: one being edited, one whose save was refused, or an empty one.
	Form any
	// Original is the id (or, for routes, the position) of the item being edited; empty to add one.
	Original string
	// Extra is what a page needs beyond the plan, such as the handoff of each rotation in words; the
	// page's extra function fills it in.
	Extra any
}

// fieldErrs maps a YAML path, relative to the item in the form, to its problems in the page's language.
type fieldErrs map[string][]string

// At returns the problems at path and below it, so a list field also shows the problems of its items.
func (e fieldErrs) At(path string) []string {
	var out []string
	// In path order, so a field with several problems lists them the same way every time.
	for _, k := range slices.Sorted(maps.Keys(e)) {
		if k == path || strings.HasPrefix(k, path+".") || strings.HasPrefix(k, path+"[") {
			out = append(out, e[k]...)
		}
	}
	return out
}

// relativeErrs keeps the problems under the item at path at, by their path relative to it. A
// problem at the item itself is kept under "".
func relativeErrs(probs []planProblem, at string) fieldErrs {
	out := fieldErrs{}
	if at == "" {
		return out
	}
	for _, p := range probs {
		switch {
		case p.Path == at:
			out[""] = append(out[""], p.Message)
		case strings.HasPrefix(p.Path, at+"."):
			k := strings.TrimPrefix(p.Path, at+".")
			out[k] = append(out[k], p.Message)
		case strings.HasPrefix(p.Path, at+"["):
			k := strings.TrimPrefix(p.Path, at)
			out[k] = append(out[k], p.Message)
		}
	}
	return out
}

// planPage is one structured plan page: its template, title and address, and what it shows beyond
// the plan, computed from the plan in the page's language.
type planPage struct {
	tmpl, title, path string
	extra             func(ctx context.Context, s *Server, p *plan.Plan, lang string) any
}

var (
	pageContacts = planPage{"plan_contacts", "plan.contacts_title", "/plan/contacts",
		func(context.Context, *Server, *plan.Plan, string) any { return plan.ContactKinds() }}
	pageSchedules = planPage{"plan_schedules", "plan.schedules_title", "/plan/schedules",
		func(_ context.Context, s *Server, p *plan.Plan, lang string) any { return s.scheduleExtra(p, lang) }}
	pagePolicies = planPage{"plan_policies", "plan.policies_title", "/plan/policies",
		func(_ context.Context, _ *Server, p *plan.Plan, _ string) any { return channelIDs(p) }}
	pageRoutes = planPage{"plan_routes", "plan.routes_title", "/plan/routes",
		func(ctx context.Context, s *Server, p *plan.Plan, lang string) any { return s.routeExtra(ctx, p, lang) }}
	pageProtocol     = planPage{"plan_protocol", "plan.protocol_title", "/plan/protocol", nil}
	pageOrganisation = planPage{"plan_organisation", "plan.organisation", "/plan/organisation", nil}
	pageModeration   = planPage{"plan_moderation", "plan.moderation", "/plan/moderation",
		func(context.Context, *Server, *plan.Plan, string) any { return moderationActions }}
	pageConduct = planPage{"plan_conduct", "plan.conduct_title", "/plan/conduct",
		func(context.Context, *Server, *plan.Plan, string) any { return conductLists }}
)

// currentPlanFor reads the stored plan for a form page. A plan that no longer validates can only be
// repaired as a whole, so the visitor goes to the editor; any other failure is answered here. It
// reports false when it has answered.
func (s *Server) currentPlanFor(w http.ResponseWriter, r *http.Request, v *visit) (*plan.Plan, int64, bool) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return nil, 0, false
	}
	p, _, version, err := plan.Current(r.Context(), s.deps.Plans)
	if err != nil {
		if _, ok := planProblems(err, v.lang); ok {
			http.Redirect(w, r, "/plan/edit", http.StatusSeeOther)
			return nil, 0, false
		}
		s.log.Error("read crisis plan", "err", err)
		s.serverError(w, r, v)
		return nil, 0, false
	}
	return p, version, true
}

// showPlanForm renders a structured plan page for the stored plan p.
func (s *Server) showPlanForm(w http.ResponseWriter, r *http.Request, v *visit, pg planPage, p *plan.Plan, version int64, body planFormBody, errKey string, status int) {
	body.Plan, body.Version = p, version
	if body.Errs == nil {
		body.Errs = fieldErrs{}
	}
	if pg.extra != nil {
		body.Extra = pg.extra(r.Context(), s, p, v.lang)
	}
	page := s.newPage(r, v, pg.title, "plan", body)
	if r.Method == http.MethodGet && r.URL.Query().Get("done") == "saved" {
		page.Notice = "plan.saved"
	}
	if errKey != "" {
		page.Error, page.Status = errKey, status
	}
	s.render(w, r, v, pg.tmpl, page)
}

// planChange is one save of a structured form. change edits a copy of the stored plan and returns the
// YAML path of the item it wrote (for placing problems next to fields) and whether its target
// exists. form is the page body to show when the save is refused; its Form is replaced by what
// refill returns, given the edited plan, so the form shows the item as it would have been saved.
type planChange struct {
	page   planPage
	change func(p *plan.Plan) (at string, found bool)
	form   planFormBody
	refill func(p *plan.Plan) any
}

// savePlanChange applies c to the version the form was shown with and stores the result as the next
// version, answering the request in every case.
func (s *Server) savePlanChange(w http.ResponseWriter, r *http.Request, v *visit, c planChange) {
	stored, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	base, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || base != version {
		s.showPlanForm(w, r, v, c.page, stored, version, c.form, "plan.conflict", http.StatusConflict)
		return
	}
	edited, err := copyPlan(stored)
	if err != nil {
		s.log.Error("copy crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	at, found := c.change(edited)
	if !found {
		s.notFound(w, r, v)
		return
	}
	if c.refill != nil {
		c.form.Form = c.refill(edited)
	}
	src, err := plan.Encode(edited)
	if err != nil {
		s.log.Error("encode crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	if _, err := s.savePlanOn(r, v, src, base); err != nil {
		if errors.Is(err, store.ErrConflict) {
			current, now, ok := s.currentPlanFor(w, r, v)
			if ok {
				s.showPlanForm(w, r, v, c.page, current, now, c.form, "plan.conflict", http.StatusConflict)
			}
			return
		}
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("save crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		c.form.Problems, c.form.Errs = probs, relativeErrs(probs, at)
		s.showPlanForm(w, r, v, c.page, stored, version, c.form, "plan.not_saved", http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, c.page.path+"?done=saved", http.StatusSeeOther)
}

// savePlanOn validates src and stores it as version base+1 by the signed-in user. A store that cannot
// save on a base version gets the check by reading the newest version first, which is not atomic.
func (s *Server) savePlanOn(r *http.Request, v *visit, src []byte, base int64) (int64, error) {
	ctx, now := r.Context(), s.deps.Clock.Now()
	var version int64
	var err error
	if bv, ok := s.deps.Plans.(plan.BaseVersions); ok {
		_, version, err = plan.SaveOn(ctx, bv, src, v.id.User.Email, now, base)
	} else {
		_, _, latest, cerr := plan.Current(ctx, s.deps.Plans)
		if cerr == nil && latest != base {
			return 0, store.ErrConflict
		}
		_, version, err = plan.Save(ctx, s.deps.Plans, src, v.id.User.Email, now)
	}
	if err != nil {
		return 0, err
	}
	s.log.Info("crisis plan saved", "version", version, "user_id", v.id.User.ID)
	return version, nil
}

// copyPlan is a deep copy of p, through its YAML form, so an edit never touches the plan it started
// from.
func copyPlan(p *plan.Plan) (*plan.Plan, error) {
	b, err := plan.Encode(p)
	if err != nil {
		return nil, err
	}
	return plan.Parse(b)
}

// formInt reads a whole number from a form field; an empty field is def. A field that is not a number
// becomes -1, which the plan's validation refuses with a message next to the field.
func formInt(r *http.Request, name string, def int) int {
	s := strings.TrimSpace(r.PostFormValue(name))
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// formRows is how many repeated rows a form posted under count, bounded so a hostile post cannot make
// the server loop long.
func formRows(r *http.Request, count string) int {
	n, err := strconv.Atoi(r.PostFormValue(count))
	if err != nil || n < 0 {
		return 0
	}
	return min(n, maxFormRows)
}

// maxFormRows bounds the repeated rows of one form: steps, rotations, terms.
const maxFormRows = 200

func trimmed(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// yamlIndex is the YAML path of item i of the list at path, as the plan's problems name it.
func yamlIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Invalid marks a form field whose problems are at path, so assistive technology announces it as
// invalid; it is empty for a field without problems.
func (e fieldErrs) Invalid(path string) template.HTMLAttr {
	if len(e.At(path)) == 0 {
		return ""
	}
	return `aria-invalid="true"`
}
