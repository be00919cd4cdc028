package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// currentPlan is the stored plan and its version.
func currentPlan(t *testing.T, h *harness) (*plan.Plan, int64) {
	t.Helper()
	p, _, version, err := plan.Current(context.Background(), h.st)
	if err != nil {
		t.Fatal(err)
	}
	return p, version
}

func TestPlanQuickEdits(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	start, _ := currentPlan(t, h)
	used := start.Escalation.Policies[0].Steps[1].People
	if len(used) == 0 {
		t.Fatal("the starting plan's second step names nobody; the test needs someone")
	}
	sched := start.Schedules[0].ID

	tests := []struct {
		name       string
		path       string
		form       url.Values
		wantStatus int
		wantBody   string // on the page that comes back, when it is not a redirect
		check      func(p *plan.Plan) bool
		wantVer    int64
	}{
		{"add a person", "/plan/people", url.Values{"version": {"0"}, "id": {"noor"}, "name": {"Noor Bakker"},
			"roles": {"legal", "hr"}, "languages": {"nl, en"}, "email": {"noor@example.nl"}, "phone": {"+31 6 12345678"}, "chat": {"@noor"}},
			http.StatusSeeOther, "", func(p *plan.Plan) bool {
				per := p.People[len(p.People)-1]
				return per.ID == "noor" && per.HasRole("legal") && per.HasRole("hr") && len(per.Languages) == 2 && per.Chat == "@noor"
			}, 1},
		{"a stale form changes nothing", "/plan/people", url.Values{"version": {"0"}, "id": {"late"}, "name": {"Late"}, "roles": {"hr"}},
			http.StatusConflict, "Someone saved another version", nil, 1},
		{"rename a person everywhere", "/plan/people", url.Values{"version": {"1"}, "original": {used[0]}, "id": {used[0] + "_x"},
			"name": {"Renamed"}, "roles": {"crisis_lead"}, "email": {"renamed@example.nl"}},
			http.StatusSeeOther, "", func(p *plan.Plan) bool {
				return p.Escalation.Policies[0].Steps[1].People[0] == used[0]+"_x"
			}, 2},
		{"a person without roles is refused", "/plan/people", url.Values{"version": {"2"}, "id": {"geen"}, "name": {"Geen Rol"}},
			http.StatusUnprocessableEntity, "people[", nil, 2},
		{"removing someone a step names is refused", "/plan/people/" + used[0] + "_x/delete", url.Values{"version": {"2"}},
			http.StatusUnprocessableEntity, "escalation.policies[0].steps[1].people", nil, 2},
		{"remove a person nobody names", "/plan/people/noor/delete", url.Values{"version": {"2"}},
			http.StatusSeeOther, "", func(p *plan.Plan) bool { return p.People[len(p.People)-1].ID != "noor" }, 3},
		{"an override ending before it starts is refused", "/plan/overrides", url.Values{"version": {"3"}, "schedule": {sched},
			"person": {used[0] + "_x"}, "start": {"2026-11-20T18:00"}, "end": {"2026-11-20T09:00"}},
			http.StatusUnprocessableEntity, "overrides[", nil, 3},
		{"add an override", "/plan/overrides", url.Values{"version": {"3"}, "schedule": {sched}, "person": {used[0] + "_x"},
			"start": {"2026-11-20T09:00"}, "end": {"2026-11-21T09:00"}, "reason": {"ziekte"}},
			http.StatusSeeOther, "", func(p *plan.Plan) bool {
				on := p.OnDuty(sched, now)
				return len(on) == 1 && on[0].ID == used[0]+"_x"
			}, 4},
		{"remove the override", "/plan/overrides/delete", url.Values{"version": {"4"}, "schedule": {sched},
			"n": {"0"}}, http.StatusSeeOther, "", func(p *plan.Plan) bool {
			return len(p.Schedules[0].Overrides) == len(start.Schedules[0].Overrides)
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.submit(tt.path, tt.form)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d\n%.600s", r.status, tt.wantStatus, r.body[strings.Index(r.body, "<main"):])
			}
			if tt.wantBody != "" && !strings.Contains(r.body, tt.wantBody) {
				t.Errorf("the page lacks %q", tt.wantBody)
			}
			p, version := currentPlan(t, h)
			if version != tt.wantVer {
				t.Fatalf("version %d, want %d", version, tt.wantVer)
			}
			if tt.check != nil && !tt.check(p) {
				t.Errorf("the saved plan does not show the change")
			}
		})
	}
	if page := admin.get("/plan"); !strings.Contains(page.body, "Version 5") {
		t.Error("/plan does not show the newest version")
	}
}
