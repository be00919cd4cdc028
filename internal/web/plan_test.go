package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// startingPlan is the YAML of the built-in plan, the text an admin starts editing from.
func startingPlan(t *testing.T, h *harness) string {
	t.Helper()
	_, src, version, err := plan.Current(context.Background(), h.st)
	if err != nil || version != 0 {
		t.Fatalf("plan.Current: version %d, %v", version, err)
	}
	return string(src)
}

// brokenWait is the starting plan with the first escalation step's wait set to 0, which the plan
// refuses with the step's path and line.
func brokenWait(t *testing.T, src string) string {
	t.Helper()
	if !strings.Contains(src, "wait: 15") {
		t.Fatal("the starting plan has no step with wait: 15")
	}
	return strings.Replace(src, "wait: 15", "wait: 0", 1)
}

func planVersions(t *testing.T, h *harness) int {
	t.Helper()
	vs, err := h.st.PlanVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

func TestPlanPage(t *testing.T) {
	h := newHarness(t)
	src := startingPlan(t, h)
	p, err := plan.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	onDuty := p.OnDuty(p.Schedules[0].ID, now)
	if len(onDuty) == 0 {
		t.Fatalf("nobody on duty in %s at %v; the test needs someone", p.Schedules[0].ID, now)
	}
	tests := []struct {
		name string
		role auth.Role
		lang string
		want []string
		not  []string
	}{
		{"viewer in English", auth.Viewer, "en", []string{
			"The built-in starting plan", p.People[0].Name, p.People[0].Email, "Crisis lead", "External contacts",
			p.Contacts[0].Name, "On duty now", onDuty[0].Name, "Escalation policies", p.Escalation.Policies[0].Name,
			"wait 15 min for an acknowledgement", "Routing", "Protocol: what each severity means",
			p.Protocol.Levels[0].Meaning.EN, "Conduct rules", "Moderation policy", "Scenarios and playbooks",
			p.Scenarios[0].Name.EN, "Statement templates", `href="/plan.yaml"`,
		}, []string{`href="/plan/edit"`}},
		{"admin in Dutch", auth.Admin, "nl", []string{
			"Het ingebouwde startplan", "Crisisleider", "Nu dienst", "Escalatiebeleid", p.Protocol.Levels[0].Meaning.NL,
			p.Scenarios[0].Name.NL, `href="/plan/edit"`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := h.loggedIn(tt.role)
			if tt.lang != "en" {
				b.submit("/lang", url.Values{"lang": {tt.lang}, "next": {"/plan"}})
			}
			r := b.get("/plan")
			if r.status != http.StatusOK {
				t.Fatalf("GET /plan: %d\n%.500s", r.status, r.body)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("the plan page lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.body, n) {
					t.Errorf("the plan page shows %q", n)
				}
			}
		})
	}
}

func TestPlanEditSave(t *testing.T) {
	h := newHarness(t)
	src := startingPlan(t, h)
	admin := h.loggedIn(auth.Admin)

	// A plan with a problem is not stored, and the form comes back with the text and the problem.
	r := admin.submit("/plan/edit", url.Values{"yaml": {brokenWait(t, src)}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("save with a problem: %d, want 422", r.status)
	}
	for _, w := range []string{"escalation.policies[0].steps[0].wait: must be &gt; 0 (line ", `data-line="`, "wait: 0", "The plan was not saved"} {
		if !strings.Contains(r.body, w) {
			t.Errorf("the refused form lacks %q", w)
		}
	}
	if n := planVersions(t, h); n != 0 {
		t.Fatalf("a refused plan stored %d versions", n)
	}

	// A good plan becomes version 1, by the admin, and /plan shows it and its history.
	changed := strings.Replace(src, "wait: 15", "wait: 20", 1)
	r = admin.submit("/plan/edit", url.Values{"yaml": {changed}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/plan?done=saved" {
		t.Fatalf("save: %d to %q\n%.500s", r.status, r.header.Get("Location"), r.body)
	}
	vs, err := h.st.PlanVersions(context.Background())
	if err != nil || len(vs) != 1 || vs[0].YAML != changed || !strings.HasPrefix(vs[0].Author, "admin") {
		t.Fatalf("stored versions: %+v, %v", vs, err)
	}
	page := admin.get("/plan?done=saved")
	for _, w := range []string{"Version 1", "wait 20 min", "The crisis plan is saved", vs[0].Author} {
		if !strings.Contains(page.body, w) {
			t.Errorf("/plan after saving lacks %q", w)
		}
	}
	dl := admin.get("/plan.yaml")
	if dl.status != http.StatusOK || dl.body != changed || !strings.Contains(dl.header.Get("Content-Disposition"), "crisis-plan-v1.yaml") {
		t.Errorf("download: %d %q, body equal %v", dl.status, dl.header.Get("Content-Disposition"), dl.body == changed)
	}
}

func TestPlanValidate(t *testing.T) {
	h := newHarness(t)
	src := startingPlan(t, h)
	admin := h.loggedIn(auth.Admin)
	token := h.token(h.user(auth.Admin))
	tests := []struct {
		name      string
		yaml      string
		lang      string
		wantPath  string
		wantWords string
	}{
		{"valid", src, "en", "", ""},
		{"a step that waits 0 minutes", brokenWait(t, src), "en", "escalation.policies[0].steps[0].wait", ""},
		{"in Dutch", brokenWait(t, src), "nl", "escalation.policies[0].steps[0].wait", "regel"},
		{"not YAML", "organisation: [", "en", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(planValidateRequest{YAML: tt.yaml})
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/plan/validate", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(csrfHeader, admin.csrf(anyPage))
			req.Header.Set("Accept-Language", tt.lang)
			var pages, api planValidateResponse
			if r := admin.do(req); r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &pages) != nil {
				t.Fatalf("page endpoint: %d %s", r.status, r.body)
			}
			r := h.api(http.MethodPost, "/api/v1/plan/validate", token, "application/json", strings.NewReader(string(body)))
			if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &api) != nil {
				t.Fatalf("API endpoint: %d %s", r.status, r.body)
			}
			valid := tt.name == "valid"
			for _, got := range []planValidateResponse{pages, api} {
				if got.Valid != valid || (len(got.Problems) == 0) != valid {
					t.Fatalf("verdict %+v, want valid %v", got, valid)
				}
				if valid {
					continue
				}
				first := got.Problems[0]
				if first.Line == 0 || first.Message == "" || !strings.Contains(first.Text, first.Message) {
					t.Errorf("problem without a position or message: %+v", first)
				}
				if tt.wantPath != "" && first.Path != tt.wantPath {
					t.Errorf("path %q, want %q", first.Path, tt.wantPath)
				}
			}
			if tt.wantWords != "" && !strings.Contains(pages.Problems[0].Text, tt.wantWords) {
				t.Errorf("page endpoint in %s: %q lacks %q", tt.lang, pages.Problems[0].Text, tt.wantWords)
			}
		})
	}
}

func TestPlanAPI(t *testing.T) {
	h := newHarness(t)
	src := startingPlan(t, h)
	token := h.token(h.user(auth.Admin))

	r := h.api(http.MethodGet, "/api/v1/plan", token, "", nil)
	if r.status != http.StatusOK || r.body != src || r.header.Get("X-Plan-Version") != "0" {
		t.Fatalf("GET YAML: %d, version %q, same text %v", r.status, r.header.Get("X-Plan-Version"), r.body == src)
	}

	r = h.api(http.MethodPut, "/api/v1/plan", token, "application/yaml", strings.NewReader(brokenWait(t, src)))
	var verdict planValidateResponse
	if r.status != http.StatusUnprocessableEntity || json.Unmarshal([]byte(r.body), &verdict) != nil || len(verdict.Problems) == 0 ||
		verdict.Problems[0].Path != "escalation.policies[0].steps[0].wait" {
		t.Fatalf("PUT with a problem: %d %s", r.status, r.body)
	}
	if n := planVersions(t, h); n != 0 {
		t.Fatalf("a refused PUT stored %d versions", n)
	}

	changed := strings.Replace(src, "wait: 15", "wait: 25", 1)
	body, _ := json.Marshal(planValidateRequest{YAML: changed})
	r = h.api(http.MethodPut, "/api/v1/plan", token, "application/json", strings.NewReader(string(body)))
	var saved apiPlanResponse
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &saved) != nil || saved.Version != 1 {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	r = h.api(http.MethodGet, "/api/v1/plan?format=json", token, "", nil)
	var got apiPlanResponse
	if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &got) != nil || got.Version != 1 || got.YAML != changed {
		t.Fatalf("GET JSON after PUT: %d %.200s", r.status, r.body)
	}
}
