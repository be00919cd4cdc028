package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// The quick edits change the two things teams change most during the year, people and schedule
// overrides, without editing YAML. Each one reads the current plan, changes it, and saves the result
// as a new version through the same validation as the editor. The new version is written from the
// parsed plan, so comments in the YAML file do not survive a quick edit; the editor keeps them.

// planPeopleBody is what /plan/people shows.
type planPeopleBody struct {
	Plan     *plan.Plan
	Version  int64
	Roles    []string
	Edit     plan.Person // the person in the form: one being edited, or one whose save failed
	Original string      // the id of the person being edited; empty to add one
	Override plan.Override
	Schedule string // the schedule of the override in the form
	Problems []planProblem
}

func (s *Server) planPeoplePage(w http.ResponseWriter, r *http.Request, v *visit) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	p, _, version, err := plan.Current(r.Context(), s.deps.Plans)
	if err != nil {
		if _, ok := planProblems(err, v.lang); ok {
			// A stored plan that no longer validates can only be repaired as a whole, in the editor.
			http.Redirect(w, r, "/plan/edit", http.StatusSeeOther)
			return
		}
		s.log.Error("read crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	body := planPeopleBody{Plan: p, Version: version, Roles: plan.Roles()}
	if id := r.URL.Query().Get("edit"); id != "" {
		if i := slices.IndexFunc(p.People, func(per plan.Person) bool { return per.ID == id }); i >= 0 {
			body.Edit, body.Original = p.People[i], id
		}
	}
	pg := s.newPage(r, v, "plan.people_title", "plan", body)
	if r.URL.Query().Get("done") == "saved" {
		pg.Notice = "plan.saved"
	}
	s.render(w, r, v, "plan_people", pg)
}

// personFromForm reads the person form. Lists are comma-separated, as people type them.
func personFromForm(r *http.Request) plan.Person {
	return plan.Person{
		ID:        strings.TrimSpace(r.PostFormValue("id")),
		Name:      strings.TrimSpace(r.PostFormValue("name")),
		Roles:     r.PostForm["roles"],
		Languages: splitList(r.PostFormValue("languages")),
		Email:     strings.TrimSpace(r.PostFormValue("email")),
		Phone:     strings.TrimSpace(r.PostFormValue("phone")),
		Chat:      strings.TrimSpace(r.PostFormValue("chat")),
	}
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// planPersonSave adds a person, or replaces the one named by original. Renaming an id also renames it
// in schedules, overrides and escalation steps, so that a typo can be fixed in one place.
func (s *Server) planPersonSave(w http.ResponseWriter, r *http.Request, v *visit) {
	original := r.PostFormValue("original")
	per := personFromForm(r)
	s.quickEdit(w, r, v, func(p *plan.Plan) {
		i := slices.IndexFunc(p.People, func(x plan.Person) bool { return x.ID == original })
		if original == "" || i < 0 {
			p.People = append(p.People, per)
			return
		}
		p.People[i] = per
		if per.ID != original {
			renamePerson(p, original, per.ID)
		}
	}, planPeopleBody{Edit: per, Original: original})
}

func renamePerson(p *plan.Plan, from, to string) {
	rename := func(ids []string) {
		for i, id := range ids {
			if id == from {
				ids[i] = to
			}
		}
	}
	for si := range p.Schedules {
		for ri := range p.Schedules[si].Rotations {
			rename(p.Schedules[si].Rotations[ri].People)
		}
		for oi := range p.Schedules[si].Overrides {
			if p.Schedules[si].Overrides[oi].Person == from {
				p.Schedules[si].Overrides[oi].Person = to
			}
		}
	}
	for pi := range p.Escalation.Policies {
		for st := range p.Escalation.Policies[pi].Steps {
			rename(p.Escalation.Policies[pi].Steps[st].People)
		}
	}
}

// planPersonDelete removes a person. One that a schedule or a step still names is refused by the
// plan's validation, with the places that name them.
func (s *Server) planPersonDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PathValue("id")
	s.quickEdit(w, r, v, func(p *plan.Plan) {
		p.People = slices.DeleteFunc(p.People, func(x plan.Person) bool { return x.ID == id })
	}, planPeopleBody{})
}

// overrideFromForm reads an override. Browsers send datetime-local values with a T; the plan writes
// local times with a space.
func overrideFromForm(r *http.Request) plan.Override {
	local := func(s string) string { return strings.Replace(strings.TrimSpace(s), "T", " ", 1) }
	return plan.Override{Person: r.PostFormValue("person"), Start: local(r.PostFormValue("start")),
		End: local(r.PostFormValue("end")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
}

// planOverrideAdd puts someone on duty in a schedule for a period, over its rotations.
func (s *Server) planOverrideAdd(w http.ResponseWriter, r *http.Request, v *visit) {
	sched := r.PostFormValue("schedule")
	o := overrideFromForm(r)
	found := false
	s.quickEdit(w, r, v, func(p *plan.Plan) {
		for i := range p.Schedules {
			if p.Schedules[i].ID == sched {
				p.Schedules[i].Overrides = append(p.Schedules[i].Overrides, o)
				found = true
			}
		}
	}, planPeopleBody{Override: o, Schedule: sched}, &found)
}

// planOverrideDelete removes the override at index n of a schedule.
func (s *Server) planOverrideDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	sched := r.PostFormValue("schedule")
	n, err := strconv.Atoi(r.PostFormValue("n"))
	found := false
	s.quickEdit(w, r, v, func(p *plan.Plan) {
		for i := range p.Schedules {
			if p.Schedules[i].ID == sched && err == nil && n >= 0 && n < len(p.Schedules[i].Overrides) {
				p.Schedules[i].Overrides = slices.Delete(p.Schedules[i].Overrides, n, n+1)
				found = true
			}
		}
	}, planPeopleBody{}, &found)
}

// quickEdit applies change to the current plan and saves it as a new version. The form carries the
// version it was shown with; when someone saved another version since, nothing is changed and the
// page says so, rather than silently undoing their work. On a validation problem the page comes back
// with the form as filled in and every problem. found, when given, must be set by change, or the
// target was not there (404).
func (s *Server) quickEdit(w http.ResponseWriter, r *http.Request, v *visit, change func(*plan.Plan), form planPeopleBody, found ...*bool) {
	if s.deps.Plans == nil {
		s.notFound(w, r, v)
		return
	}
	ctx := r.Context()
	p, _, version, err := plan.Current(ctx, s.deps.Plans)
	if err != nil {
		if _, ok := planProblems(err, v.lang); ok {
			http.Redirect(w, r, "/plan/edit", http.StatusSeeOther)
			return
		}
		s.log.Error("read crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	current := p
	if r.PostFormValue("version") != strconv.FormatInt(version, 10) {
		s.renderPeople(w, r, v, current, version, form, nil, "plan.stale", http.StatusConflict)
		return
	}
	// Change a copy, so a refused edit shows the plan as it is stored.
	b, err := plan.Encode(p)
	var edited *plan.Plan
	if err == nil {
		edited, err = plan.Parse(b)
	}
	if err != nil {
		s.log.Error("copy crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	change(edited)
	if len(found) > 0 && !*found[0] {
		s.notFound(w, r, v)
		return
	}
	src, err := plan.Encode(edited)
	if err != nil {
		s.log.Error("encode crisis plan", "err", err)
		s.serverError(w, r, v)
		return
	}
	// Saved on the version the form was shown with, so a save that raced past the check above is
	// refused as well.
	if _, err := s.savePlanOn(r, v, src, version); err != nil {
		if errors.Is(err, store.ErrConflict) {
			s.renderPeople(w, r, v, current, version, form, nil, "plan.stale", http.StatusConflict)
			return
		}
		probs, ok := planProblems(err, v.lang)
		if !ok {
			s.log.Error("save crisis plan", "err", err)
			s.serverError(w, r, v)
			return
		}
		s.renderPeople(w, r, v, current, version, form, probs, "plan.not_saved", http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, "/plan/people?done=saved", http.StatusSeeOther)
}

func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, v *visit, p *plan.Plan, version int64, form planPeopleBody, probs []planProblem, key string, status int) {
	form.Plan, form.Version, form.Roles, form.Problems = p, version, plan.Roles(), probs
	pg := s.newPage(r, v, "plan.people_title", "plan", form)
	pg.Error, pg.Status = key, status
	s.render(w, r, v, "plan_people", pg)
}
