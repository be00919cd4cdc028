package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// Escalation policies: ordered steps, each notifying people and the people on duty in schedules on
// some channels, then waiting for an acknowledgement before the next step; the whole policy repeats
// Repeat more times.

// policyForm is a policy as the form shows it: its steps, and one empty row to add another.
type policyForm struct {
	plan.Policy
}

// stepRow is one step of the form.
type stepRow struct {
	plan.Step
	Order int
	New   bool // the empty row for another step
}

func (r stepRow) HasPerson(id string) bool   { return slices.Contains(r.People, id) }
func (r stepRow) HasSchedule(id string) bool { return slices.Contains(r.Schedules, id) }
func (r stepRow) HasChannel(id string) bool  { return slices.Contains(r.Channels, id) }

// Rows are the steps in order, followed by an empty one.
func (f policyForm) Rows() []stepRow {
	rows := make([]stepRow, 0, len(f.Steps)+1)
	for i, st := range f.Steps {
		rows = append(rows, stepRow{Step: st, Order: i + 1})
	}
	return append(rows, stepRow{Step: plan.Step{Wait: 15}, Order: len(f.Steps) + 1, New: true})
}

// ChannelIDs are the channels a step can use: the plan's, and the in-app one that needs none.
func channelIDs(p *plan.Plan) []string {
	ids := make([]string, 0, len(p.Channels)+1)
	for _, c := range p.Channels {
		ids = append(ids, c.ID)
	}
	return append(ids, plan.ChannelInApp)
}

func (s *Server) planPoliciesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	body := planFormBody{Form: policyForm{}}
	if id := r.URL.Query().Get("edit"); id != "" {
		if i := slices.IndexFunc(p.Escalation.Policies, func(x plan.Policy) bool { return x.ID == id }); i >= 0 {
			body.Form, body.Original = policyForm{p.Escalation.Policies[i]}, id
		}
	}
	s.showPlanForm(w, r, v, pagePolicies, p, version, body, "", 0)
}

// policyFromForm reads the policy form. Steps are put in the order their order fields give, ties
// keeping the form's order; a step row with no one and no channel checked is skipped, and one marked
// for removal is dropped.
func policyFromForm(r *http.Request) plan.Policy {
	pol := plan.Policy{ID: trimmed(r, "id"), Name: trimmed(r, "name"), Repeat: formInt(r, "repeat", 0)}
	var rows []stepRow
	for i := range formRows(r, "steps") {
		key := func(name string) string { return fmt.Sprintf("s%d_%s", i, name) }
		if r.PostFormValue(key("remove")) != "" {
			continue
		}
		st := plan.Step{People: r.PostForm[key("people")], Schedules: r.PostForm[key("schedules")],
			Channels: r.PostForm[key("channels")], Wait: formInt(r, key("wait"), 0)}
		if len(st.People) == 0 && len(st.Schedules) == 0 && len(st.Channels) == 0 {
			continue
		}
		rows = append(rows, stepRow{Step: st, Order: formInt(r, key("order"), i+1)})
	}
	slices.SortStableFunc(rows, func(a, b stepRow) int { return cmp.Compare(a.Order, b.Order) })
	for _, row := range rows {
		pol.Steps = append(pol.Steps, row.Step)
	}
	return pol
}

// planPolicySave adds a policy, or replaces the one named by original. Renaming an id also renames it
// in the routing tree.
func (s *Server) planPolicySave(w http.ResponseWriter, r *http.Request, v *visit) {
	original := r.PostFormValue("original")
	pol := policyFromForm(r)
	s.savePlanChange(w, r, v, planChange{page: pagePolicies,
		form: planFormBody{Form: policyForm{pol}, Original: original},
		change: func(p *plan.Plan) (string, bool) {
			ps := &p.Escalation.Policies
			i := slices.IndexFunc(*ps, func(x plan.Policy) bool { return x.ID == original })
			if original == "" || i < 0 {
				*ps = append(*ps, pol)
				i = len(*ps) - 1
			} else {
				(*ps)[i] = pol
				if pol.ID != original {
					renamePolicy(&p.Escalation.Route, original, pol.ID)
				}
			}
			return yamlIndex("escalation.policies", i), true
		}})
}

func renamePolicy(rt *plan.Route, from, to string) {
	if rt.Policy == from {
		rt.Policy = to
	}
	for i := range rt.Routes {
		renamePolicy(&rt.Routes[i], from, to)
	}
}

// planPolicyDelete removes a policy. One that a route still names is refused by the plan's
// validation, with the routes that name it.
func (s *Server) planPolicyDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PathValue("id")
	s.savePlanChange(w, r, v, planChange{page: pagePolicies, form: planFormBody{Form: policyForm{}},
		change: func(p *plan.Plan) (string, bool) {
			n := len(p.Escalation.Policies)
			p.Escalation.Policies = slices.DeleteFunc(p.Escalation.Policies, func(x plan.Policy) bool { return x.ID == id })
			return "", len(p.Escalation.Policies) < n
		}})
}
