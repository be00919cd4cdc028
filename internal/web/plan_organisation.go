package web

import (
	"fmt"
	"net/http"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// The organisation the plan is for, and its moderation policy: hide only what does harm, never
// delete criticism.

func (s *Server) planOrganisationPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	s.showPlanForm(w, r, v, pageOrganisation, p, version, planFormBody{Form: p.Organisation}, "", 0)
}

func organisationFromForm(r *http.Request) plan.Organisation {
	return plan.Organisation{Name: trimmed(r, "name"), Lang: r.PostFormValue("lang"), Form: r.PostFormValue("form"),
		TimeZone: trimmed(r, "time_zone")}
}

// planOrganisationSave replaces the organisation's name, language, form of address and time zone.
func (s *Server) planOrganisationSave(w http.ResponseWriter, r *http.Request, v *visit) {
	o := organisationFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageOrganisation, form: planFormBody{Form: o},
		change: func(p *plan.Plan) (string, bool) {
			p.Organisation = o
			return "organisation", true
		}})
}

// moderationForm is the moderation policy as the form shows it: its harms followed by an empty one.
type moderationForm struct {
	plan.Moderation
}

// harmRow is one harm of the form, with its position for field names and problems.
type harmRow struct {
	plan.Harm
	N   int
	New bool
}

func (f moderationForm) Rows() []harmRow {
	rows := make([]harmRow, 0, len(f.Harms)+1)
	for i, h := range f.Harms {
		rows = append(rows, harmRow{Harm: h, N: i})
	}
	return append(rows, harmRow{Harm: plan.Harm{Action: plan.ActionHide}, N: len(f.Harms), New: true})
}

// moderationActions are what the policy may do with harmful content; deleting is not one of them.
var moderationActions = []string{plan.ActionHide, plan.ActionHideAndReport}

func (s *Server) planModerationPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	s.showPlanForm(w, r, v, pageModeration, p, version, planFormBody{Form: moderationForm{p.Moderation}}, "", 0)
}

// moderationFromForm reads the moderation form. A harm row left empty is skipped, and one marked for
// removal is dropped.
func moderationFromForm(r *http.Request) plan.Moderation {
	m := plan.Moderation{Principle: plan.Text{NL: trimmed(r, "principle_nl"), EN: trimmed(r, "principle_en")}}
	for i := range formRows(r, "harms") {
		f := func(name string) string { return trimmed(r, fmt.Sprintf("h%d_%s", i, name)) }
		h := plan.Harm{ID: f("id"), Name: plan.Text{NL: f("name_nl"), EN: f("name_en")},
			Description: plan.Text{NL: f("description_nl"), EN: f("description_en")}, Action: f("action")}
		if f("remove") != "" || h.ID == "" && h.Name == (plan.Text{}) && h.Description == (plan.Text{}) {
			continue
		}
		m.Harms = append(m.Harms, h)
	}
	return m
}

// planModerationSave replaces the moderation policy.
func (s *Server) planModerationSave(w http.ResponseWriter, r *http.Request, v *visit) {
	m := moderationFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pageModeration, form: planFormBody{Form: moderationForm{m}},
		change: func(p *plan.Plan) (string, bool) {
			p.Moderation = m
			return "moderation", true
		}})
}
