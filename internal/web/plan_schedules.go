package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// Schedules: who is on duty, as rotations that hand over at a fixed local time. Overrides are edited
// on the people page and kept as they are by these forms.

// scheduleForm is a schedule as the form shows it: its rotations, and one empty row to add another.
type scheduleForm struct {
	plan.Schedule
}

// rotationRow is a rotation as form fields: people as a comma-separated list in turn order, and the
// first handoff as a datetime-local value.
type rotationRow struct {
	Name   string
	People string
	Start  string
	Days   int
	Num    int // 1 for the first rotation; 0 for the empty row
}

// Rows are the rotations followed by an empty row.
func (f scheduleForm) Rows() []rotationRow {
	rows := make([]rotationRow, 0, len(f.Rotations)+1)
	for i, r := range f.Rotations {
		days := r.ShiftDays
		if days == 0 {
			days = 7
		}
		rows = append(rows, rotationRow{Name: r.Name, People: strings.Join(r.People, ", "),
			Start: strings.Replace(r.Start, " ", "T", 1), Days: days, Num: i + 1})
	}
	return append(rows, rotationRow{Days: 7})
}

// scheduleExtra is what the schedules page shows beyond the plan: each rotation's handoff in words.
type scheduleExtra struct {
	Handoffs map[string][]string // schedule id -> one text per rotation
}

func (s *Server) scheduleExtra(p *plan.Plan, lang string) scheduleExtra {
	out := scheduleExtra{Handoffs: make(map[string][]string, len(p.Schedules))}
	for _, sc := range p.Schedules {
		for _, r := range sc.Rotations {
			out.Handoffs[sc.ID] = append(out.Handoffs[sc.ID], s.handoffText(lang, r))
		}
	}
	return out
}

// handoffText says when a rotation hands over: "every Monday at 09:00" for a weekly one.
func (s *Server) handoffText(lang string, r plan.Rotation) string {
	start, err := time.Parse(plan.LocalTimeLayout, r.Start)
	if err != nil {
		return r.Start
	}
	days := r.ShiftDays
	if days == 0 {
		days = 7
	}
	clock := start.Format("15:04")
	if days == 7 {
		day := s.msgs.text(lang, weekdayKeys[start.Weekday()])
		return fmt.Sprintf(s.msgs.text(lang, "plan.handoff_weekly"), day, clock, start.Format(time.DateOnly))
	}
	return fmt.Sprintf(s.msgs.text(lang, "plan.handoff_days"), days, clock, start.Format(time.DateOnly))
}

// weekdayKeys name the days of the week, by time.Weekday.
var weekdayKeys = [...]string{"plan.weekday_sunday", "plan.weekday_monday", "plan.weekday_tuesday",
	"plan.weekday_wednesday", "plan.weekday_thursday", "plan.weekday_friday", "plan.weekday_saturday"}

// newSchedule is the empty form: one zone filled in, the organisation's or Amsterdam's.
func newSchedule(p *plan.Plan) scheduleForm {
	zone := p.Organisation.TimeZone
	if zone == "" {
		zone = plan.DefaultTimeZone
	}
	return scheduleForm{plan.Schedule{TimeZone: zone}}
}

func (s *Server) planSchedulesPage(w http.ResponseWriter, r *http.Request, v *visit) {
	p, version, ok := s.currentPlanFor(w, r, v)
	if !ok {
		return
	}
	body := planFormBody{Form: newSchedule(p)}
	if id := r.URL.Query().Get("edit"); id != "" {
		if i := slices.IndexFunc(p.Schedules, func(sc plan.Schedule) bool { return sc.ID == id }); i >= 0 {
			body.Form, body.Original = scheduleForm{p.Schedules[i]}, id
		}
	}
	s.showPlanForm(w, r, v, pageSchedules, p, version, body, "", 0)
}

// scheduleFromForm reads the schedule form. A rotation row left empty is skipped, and one marked for
// removal is dropped.
func scheduleFromForm(r *http.Request) plan.Schedule {
	sc := plan.Schedule{ID: trimmed(r, "id"), Name: trimmed(r, "name"), TimeZone: trimmed(r, "time_zone")}
	for i := range formRows(r, "rotations") {
		f := func(name string) string { return trimmed(r, fmt.Sprintf("r%d_%s", i, name)) }
		if f("remove") != "" {
			continue
		}
		rot := plan.Rotation{Name: f("name"), People: splitList(f("people")),
			Start: strings.Replace(f("start"), "T", " ", 1), ShiftDays: formInt(r, fmt.Sprintf("r%d_days", i), 7)}
		if rot.Name == "" && len(rot.People) == 0 && rot.Start == "" {
			continue
		}
		if rot.ShiftDays == 7 {
			rot.ShiftDays = 0 // the plan's default; the YAML stays as short as a hand-written one
		}
		sc.Rotations = append(sc.Rotations, rot)
	}
	return sc
}

// planScheduleSave adds a schedule, or replaces the one named by original, keeping its overrides.
// Renaming an id also renames it in escalation steps.
func (s *Server) planScheduleSave(w http.ResponseWriter, r *http.Request, v *visit) {
	original := r.PostFormValue("original")
	sc := scheduleFromForm(r)
	var at int
	s.savePlanChange(w, r, v, planChange{page: pageSchedules,
		form: planFormBody{Form: scheduleForm{sc}, Original: original},
		change: func(p *plan.Plan) (string, bool) {
			at = slices.IndexFunc(p.Schedules, func(x plan.Schedule) bool { return x.ID == original })
			if original == "" || at < 0 {
				p.Schedules = append(p.Schedules, sc)
				at = len(p.Schedules) - 1
			} else {
				sc.Overrides = p.Schedules[at].Overrides
				p.Schedules[at] = sc
				if sc.ID != original {
					renameSchedule(p, original, sc.ID)
				}
			}
			return yamlIndex("schedules", at), true
		},
		refill: func(p *plan.Plan) any { return scheduleForm{p.Schedules[at]} },
	})
}

func renameSchedule(p *plan.Plan, from, to string) {
	for pi := range p.Escalation.Policies {
		for st := range p.Escalation.Policies[pi].Steps {
			ids := p.Escalation.Policies[pi].Steps[st].Schedules
			for i, id := range ids {
				if id == from {
					ids[i] = to
				}
			}
		}
	}
}

// planScheduleDelete removes a schedule. One that a step still names is refused by the plan's
// validation, with the places that name it.
func (s *Server) planScheduleDelete(w http.ResponseWriter, r *http.Request, v *visit) {
	id := r.PathValue("id")
	s.savePlanChange(w, r, v, planChange{page: pageSchedules,
		form: planFormBody{Form: scheduleForm{plan.Schedule{TimeZone: plan.DefaultTimeZone}}},
		change: func(p *plan.Plan) (string, bool) {
			n := len(p.Schedules)
			p.Schedules = slices.DeleteFunc(p.Schedules, func(x plan.Schedule) bool { return x.ID == id })
			return "", len(p.Schedules) < n
		}})
}
