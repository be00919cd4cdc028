package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/auth"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// fieldError returns the text of the first problem shown under the form field with id, or "" when
// the field has none. A field's problems come right after it, before the next label.
func fieldError(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("the page has no field %q", id)
	}
	rest := page[i:]
	if j := strings.Index(rest, "<label"); j >= 0 {
		rest = rest[:j]
	}
	m := regexp.MustCompile(`<p class="field-error">([^<]*)</p>`).FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// protocolForm is the protocol form filled in with the plan's own definitions.
func protocolValues(p *plan.Plan, version string) url.Values {
	f := url.Values{"version": {version}}
	for _, l := range p.Protocol.Levels {
		s := l.Severity
		f.Set(s+"_name_nl", l.Name.NL)
		f.Set(s+"_name_en", l.Name.EN)
		f.Set(s+"_meaning_nl", l.Meaning.NL)
		f.Set(s+"_meaning_en", l.Meaning.EN)
		f.Set(s+"_action_nl", l.Action.NL)
		f.Set(s+"_action_en", l.Action.EN)
		f.Set(s+"_respond", "0")
	}
	return f
}

// TestPlanForms walks every structured plan form in turn on one plan: a valid save that stores the
// next version, a refused one with its problem next to the field, and a form based on an older
// version, which changes nothing.
func TestPlanForms(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	start, _ := currentPlan(t, h)
	var protocol url.Values // filled in when the protocol rows run, from the plan as it is then

	tests := []struct {
		name       string
		path       string
		form       func() url.Values
		wantStatus int
		field      string // the field whose problem the page must show, on a refused save
		fieldWant  string // what that problem says
		clean      string // a field that must show no problem, when the problem belongs elsewhere
		bodyWant   string // something else the page must say
		check      func(p *plan.Plan) bool
		wantVer    int64
	}{
		// External contacts.
		{name: "add a contact", path: "/plan/contacts", form: func() url.Values {
			return url.Values{"version": {"0"}, "id": {"nos"}, "name": {"NOS redactie"}, "kind": {"press"},
				"organisation": {"NOS"}, "email": {"tips@example.nl"}, "notes": {"Bel eerst de eindredactie."}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			c := p.Contacts[len(p.Contacts)-1]
			return c.ID == "nos" && c.Kind == plan.ContactPress && c.Notes == "Bel eerst de eindredactie."
		}, wantVer: 1},
		{name: "a contact with a bad e-mail address", path: "/plan/contacts", form: func() url.Values {
			return url.Values{"version": {"1"}, "id": {"rtl"}, "name": {"RTL Nieuws"}, "kind": {"press"}, "email": {"rtl at example"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "c-email", fieldWant: `"rtl at example" is not an e-mail address`,
			bodyWant: "contacts[4].email", wantVer: 1},
		{name: "a contact of an unknown kind", path: "/plan/contacts", form: func() url.Values {
			return url.Values{"version": {"1"}, "id": {"rtl"}, "name": {"RTL Nieuws"}, "kind": {"gossip"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "c-kind", fieldWant: "must be one of press", wantVer: 1},
		{name: "a contact form of an older version", path: "/plan/contacts", form: func() url.Values {
			return url.Values{"version": {"0"}, "id": {"rtl"}, "name": {"RTL Nieuws"}, "kind": {"press"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 1},
		{name: "edit a contact", path: "/plan/contacts", form: func() url.Values {
			return url.Values{"version": {"1"}, "original": {"nos"}, "id": {"nos"}, "name": {"NOS Nieuws"}, "kind": {"press"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return p.Contacts[len(p.Contacts)-1].Name == "NOS Nieuws" && p.Contacts[len(p.Contacts)-1].Email == ""
		}, wantVer: 2},
		{name: "remove a contact", path: "/plan/contacts/nos/delete", form: func() url.Values {
			return url.Values{"version": {"2"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return len(p.Contacts) == len(start.Contacts)
		}, wantVer: 3},

		// Schedules.
		{name: "add a weekly schedule", path: "/plan/schedules", form: func() url.Values {
			return url.Values{"version": {"3"}, "id": {"pers"}, "name": {"Persdienst"}, "time_zone": {"Europe/Amsterdam"},
				"rotations": {"2"}, "r0_name": {"woordvoering"}, "r0_people": {"bram, anna"}, "r0_start": {"2026-11-16T09:00"},
				"r0_days": {"7"}, "r1_days": {"7"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			i := slices.IndexFunc(p.Schedules, func(s plan.Schedule) bool { return s.ID == "pers" })
			if i < 0 || len(p.Schedules[i].Rotations) != 1 {
				return false
			}
			// Monday 16 November 09:00 starts bram's week; on Friday 20 November he is on duty.
			on := p.OnDuty("pers", now)
			return len(on) == 1 && on[0].ID == "bram"
		}, wantVer: 4},
		{name: "a rotation naming someone not in the plan", path: "/plan/schedules", form: func() url.Values {
			return url.Values{"version": {"4"}, "id": {"avond"}, "name": {"Avonddienst"}, "time_zone": {"Europe/Amsterdam"},
				"rotations": {"1"}, "r0_people": {"bram, nobody"}, "r0_start": {"2026-11-16T18:00"}, "r0_days": {"7"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "r0-people", fieldWant: `"nobody"`, clean: "s-zone", wantVer: 4},
		{name: "a schedule in an unknown time zone", path: "/plan/schedules", form: func() url.Values {
			return url.Values{"version": {"4"}, "id": {"avond"}, "name": {"Avonddienst"}, "time_zone": {"Europe/Utrecht"},
				"rotations": {"1"}, "r0_people": {"bram"}, "r0_start": {"2026-11-16T18:00"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "s-zone", fieldWant: "unknown time zone", wantVer: 4},
		{name: "a schedule form of an older version", path: "/plan/schedules", form: func() url.Values {
			return url.Values{"version": {"3"}, "id": {"avond"}, "name": {"Avonddienst"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 4},
		{name: "rename a schedule everywhere", path: "/plan/schedules", form: func() url.Values {
			return url.Values{"version": {"4"}, "original": {"webcare"}, "id": {"webcare_dienst"}, "name": {"Webcare dienst"},
				"rotations": {"1"}, "r0_people": {"fatima, joost"}, "r0_start": {"2026-01-05T09:00"}, "r0_days": {"7"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return slices.Contains(p.Escalation.Policies[0].Steps[0].Schedules, "webcare_dienst")
		}, wantVer: 5},
		{name: "removing a schedule a step names is refused", path: "/plan/schedules/crisisdienst/delete", form: func() url.Values {
			return url.Values{"version": {"5"}}
		}, wantStatus: http.StatusUnprocessableEntity, bodyWant: "escalation.policies[1].steps[0].schedules[0]", wantVer: 5},

		// Escalation policies.
		{name: "add a policy with reordered steps", path: "/plan/policies", form: func() url.Values {
			return url.Values{"version": {"5"}, "id": {"pers"}, "name": {"Persvragen"}, "repeat": {"1"}, "steps": {"3"},
				"s0_people": {"bram"}, "s0_channels": {"inapp", "email"}, "s0_wait": {"10"}, "s0_order": {"2"},
				"s1_schedules": {"pers"}, "s1_channels": {"inapp"}, "s1_wait": {"20"}, "s1_order": {"1"},
				"s2_wait": {"15"}, "s2_order": {"3"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			pol := p.Escalation.Policies[len(p.Escalation.Policies)-1]
			return pol.ID == "pers" && pol.Repeat == 1 && len(pol.Steps) == 2 &&
				slices.Equal(pol.Steps[0].Schedules, []string{"pers"}) && pol.Steps[1].Wait == 10
		}, wantVer: 6},
		{name: "a step that does not wait", path: "/plan/policies", form: func() url.Values {
			return url.Values{"version": {"6"}, "original": {"pers"}, "id": {"pers"}, "name": {"Persvragen"}, "steps": {"1"},
				"s0_people": {"bram"}, "s0_channels": {"inapp"}, "s0_wait": {"0"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "s0-wait", fieldWant: "must be > 0", clean: "pol-name", wantVer: 6},
		{name: "a step that notifies nobody", path: "/plan/policies", form: func() url.Values {
			return url.Values{"version": {"6"}, "id": {"leeg"}, "name": {"Leeg"}, "steps": {"1"},
				"s0_channels": {"inapp"}, "s0_wait": {"5"}}
		}, wantStatus: http.StatusUnprocessableEntity, bodyWant: "must notify at least one person or schedule", wantVer: 6},
		{name: "a policy form of an older version", path: "/plan/policies", form: func() url.Values {
			return url.Values{"version": {"5"}, "id": {"x"}, "name": {"X"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 6},
		{name: "removing a policy a route names is refused", path: "/plan/policies/crisis/delete", form: func() url.Values {
			return url.Values{"version": {"6"}}
		}, wantStatus: http.StatusUnprocessableEntity, bodyWant: "escalation.route.routes[0].policy", wantVer: 6},

		// Routes.
		{name: "add a route", path: "/plan/routes", form: func() url.Values {
			return url.Values{"version": {"6"}, "severity": {"high", "critical"}, "kind": {"viral_post", "category:boycott"},
				"monitor": {"merk, ceo"}, "policy": {"pers"}, "continue": {"1"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			rt := p.Escalation.Route.Routes[2]
			return rt.Policy == "pers" && rt.Continue && slices.Equal(rt.Match.Severity, []string{"high", "critical"}) &&
				slices.Equal(rt.Match.Monitor, []string{"merk", "ceo"}) && len(rt.Match.Kind) == 2
		}, wantVer: 7},
		{name: "a route with an unknown minimum severity", path: "/plan/routes", form: func() url.Values {
			return url.Values{"version": {"7"}, "min_severity": {"huge"}, "policy": {"pers"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "rt-min", fieldWant: `"huge" is not allowed`, wantVer: 7},
		{name: "a route form of an older version", path: "/plan/routes", form: func() url.Values {
			return url.Values{"version": {"6"}, "policy": {"pers"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 7},
		{name: "move a route up", path: "/plan/routes/2/move", form: func() url.Values {
			return url.Values{"version": {"7"}, "dir": {"up"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return p.Escalation.Route.Routes[1].Policy == "pers" && len(p.Escalation.Route.Routes[2].Match.Category) == 2
		}, wantVer: 8},
		{name: "the first route cannot move up", path: "/plan/routes/0/move", form: func() url.Values {
			return url.Values{"version": {"8"}, "dir": {"up"}}
		}, wantStatus: http.StatusNotFound, wantVer: 8},
		{name: "edit a route", path: "/plan/routes", form: func() url.Values {
			return url.Values{"version": {"8"}, "original": {"1"}, "min_severity": {"medium"}, "policy": {"crisis"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			rt := p.Escalation.Route.Routes[1]
			return rt.Policy == "crisis" && rt.Match.MinSeverity == "medium" && len(rt.Match.Severity) == 0 && !rt.Continue
		}, wantVer: 9},
		{name: "remove a route", path: "/plan/routes/1/delete", form: func() url.Values {
			return url.Values{"version": {"9"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return len(p.Escalation.Route.Routes) == len(start.Escalation.Route.Routes)
		}, wantVer: 10},
		{name: "set the default policy", path: "/plan/routes/default", form: func() url.Values {
			return url.Values{"version": {"10"}, "policy": {"pers"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			return p.Escalation.Route.Policy == "pers"
		}, wantVer: 11},

		// The protocol.
		{name: "change what a severity means", path: "/plan/protocol", form: func() url.Values {
			p, _ := currentPlan(t, h)
			protocol = protocolValues(p, "11")
			protocol.Set("low_name_en", "Quiet")
			protocol.Set("critical_respond", "20")
			return protocol
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			low, _ := p.Protocol.Level("low")
			crit, _ := p.Protocol.Level("critical")
			return low.Name.EN == "Quiet" && low.Name.NL == "Laag" && crit.RespondWithin == 20
		}, wantVer: 12},
		{name: "a severity without its English meaning", path: "/plan/protocol", form: func() url.Values {
			protocol.Set("version", "12")
			protocol.Set("medium_meaning_en", " ")
			return protocol
		}, wantStatus: http.StatusUnprocessableEntity, field: "medium-meaning-en", fieldWant: "is required", wantVer: 12},
		{name: "a protocol form of an older version", path: "/plan/protocol", form: func() url.Values {
			protocol.Set("version", "11")
			return protocol
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 12},

		// Conduct rules.
		{name: "change the conduct rules", path: "/plan/conduct", form: func() url.Values {
			return url.Values{"version": {"12"}, "tone_nl": {"Menselijk en eerlijk."}, "tone_en": {"Human and honest."}, "form": {"jij"},
				"forbidden": {"2"}, "forbidden0_lang": {"nl"}, "forbidden0_word": {"geen commentaar"}, "forbidden0_instead": {"we zoeken het uit"},
				"forbidden1_lang": {"en"}, "forbidden1_word": {"unfortunately"}, "forbidden1_why": {"sounds cold"},
				"jargon": {"1"}, "jargon0_lang": {"nl"}, "jargon0_word": {"P1-incident"}, "jargon0_instead": {"storing"}, "jargon0_remove": {"1"},
				"preferred": {"1"}, "preferred0_lang": {"nl"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			c := p.Conduct
			return c.Form == "jij" && c.Tone.EN == "Human and honest." && len(c.Forbidden) == 2 &&
				c.Forbidden[1].Word == "unfortunately" && len(c.Jargon) == 0 && len(c.Preferred) == 0
		}, wantVer: 13},
		{name: "a word in a language the plan does not speak", path: "/plan/conduct", form: func() url.Values {
			return url.Values{"version": {"13"}, "tone_nl": {"Menselijk."}, "tone_en": {"Human."},
				"forbidden": {"1"}, "forbidden0_lang": {"de"}, "forbidden0_word": {"leider"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "forbidden0-lang", fieldWant: `"de" is not allowed`, wantVer: 13},
		{name: "a conduct form of an older version", path: "/plan/conduct", form: func() url.Values {
			return url.Values{"version": {"12"}, "tone_nl": {"x"}, "tone_en": {"x"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 13},

		// The organisation.
		{name: "change the organisation", path: "/plan/organisation", form: func() url.Values {
			return url.Values{"version": {"13"}, "name": {"Gemeente Voorbeeld"}, "lang": {"en"}, "form": {"jij"}, "time_zone": {"Europe/Brussels"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			o := p.Organisation
			return o.Name == "Gemeente Voorbeeld" && o.Lang == "en" && o.Form == "jij" && o.TimeZone == "Europe/Brussels"
		}, wantVer: 14},
		{name: "an organisation in an unknown time zone", path: "/plan/organisation", form: func() url.Values {
			return url.Values{"version": {"14"}, "name": {"Gemeente Voorbeeld"}, "lang": {"nl"}, "form": {"u"}, "time_zone": {"Mars/Base"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "org-zone", fieldWant: "unknown time zone", wantVer: 14},
		{name: "an organisation form of an older version", path: "/plan/organisation", form: func() url.Values {
			return url.Values{"version": {"13"}, "name": {"x"}, "lang": {"nl"}, "form": {"u"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 14},

		// The moderation policy.
		{name: "change the moderation policy", path: "/plan/moderation", form: func() url.Values {
			return url.Values{"version": {"14"}, "principle_nl": {"Kritiek blijft staan."}, "principle_en": {"Criticism stays."},
				"harms": {"3"}, "h0_id": {"hate"}, "h0_name_nl": {"Haat"}, "h0_name_en": {"Hate"},
				"h0_description_nl": {"Haat tegen mensen."}, "h0_description_en": {"Hate against people."}, "h0_action": {"hide_and_report"},
				"h1_id": {"doxxing"}, "h1_name_nl": {"Doxing"}, "h1_name_en": {"Doxxing"},
				"h1_description_nl": {"Adressen van anderen."}, "h1_description_en": {"Other people's addresses."}, "h1_action": {"hide"},
				"h2_action": {"hide"}}
		}, wantStatus: http.StatusSeeOther, check: func(p *plan.Plan) bool {
			m := p.Moderation
			return m.Principle.EN == "Criticism stays." && len(m.Harms) == 2 && m.Harms[1].ID == "doxxing" && m.Harms[1].Action == plan.ActionHide
		}, wantVer: 15},
		{name: "a harm that deletes", path: "/plan/moderation", form: func() url.Values {
			return url.Values{"version": {"15"}, "principle_nl": {"Kritiek blijft staan."}, "principle_en": {"Criticism stays."},
				"harms": {"1"}, "h0_id": {"hate"}, "h0_name_nl": {"Haat"}, "h0_name_en": {"Hate"},
				"h0_description_nl": {"Haat."}, "h0_description_en": {"Hate."}, "h0_action": {"delete"}}
		}, wantStatus: http.StatusUnprocessableEntity, field: "h0-action", fieldWant: "criticism is never deleted", wantVer: 15},
		{name: "a moderation form of an older version", path: "/plan/moderation", form: func() url.Values {
			return url.Values{"version": {"14"}, "principle_nl": {"x"}, "principle_en": {"x"}}
		}, wantStatus: http.StatusConflict, bodyWant: "Someone else changed the plan", wantVer: 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := admin.submit(tt.path, tt.form())
			if r.status != tt.wantStatus {
				main := r.body
				if i := strings.Index(main, "<main"); i >= 0 {
					main = main[i:]
				}
				t.Fatalf("status %d, want %d\n%.1500s", r.status, tt.wantStatus, main)
			}
			if tt.field != "" {
				if got := fieldError(t, r.body, tt.field); !strings.Contains(got, tt.fieldWant) {
					t.Errorf("the problem under %s is %q, want it to say %q", tt.field, got, tt.fieldWant)
				}
				tag := r.body[strings.Index(r.body, `id="`+tt.field+`"`):]
				if tag = tag[:strings.Index(tag, ">")]; !strings.Contains(tag, `aria-invalid="true"`) {
					t.Errorf("%s is not marked invalid: %s", tt.field, tag)
				}
			}
			if tt.clean != "" {
				if got := fieldError(t, r.body, tt.clean); got != "" {
					t.Errorf("%s shows a problem of another field: %q", tt.clean, got)
				}
			}
			if tt.bodyWant != "" && !strings.Contains(html.UnescapeString(r.body), tt.bodyWant) {
				t.Errorf("the page does not say %q", tt.bodyWant)
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

	// What the forms saved is what plan export writes, and it reads back as the same plan.
	export := admin.get("/plan.yaml")
	if export.status != http.StatusOK {
		t.Fatalf("GET /plan.yaml: %d", export.status)
	}
	back, err := plan.Parse([]byte(export.body))
	if err != nil {
		t.Fatalf("the exported plan does not import: %v", err)
	}
	current, _ := currentPlan(t, h)
	a, _ := plan.Encode(back)
	b, _ := plan.Encode(current)
	if string(a) != string(b) {
		t.Error("the exported plan differs from the stored one")
	}
	for _, want := range []string{"id: pers", "time_zone: Europe/Amsterdam", "unfortunately", "en: Quiet"} {
		if !strings.Contains(export.body, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
}

// TestPlanFormPages shows each structured plan page in both languages, with what it is for.
func TestPlanFormPages(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	pages := []struct {
		path   string
		en, nl string
	}{
		{"/plan/contacts", "ANP redactie", "Contact toevoegen"},
		{"/plan/contacts?edit=ap", "Autoriteit Persoonsgegevens", "Notities"},
		{"/plan/schedules", "hands over every Monday at 09:00", "draagt elke maandag om 09:00 over"},
		{"/plan/schedules?edit=webcare", `value="fatima, joost"`, "Rotatie 1"},
		{"/plan/policies", "Crisisteam", "Waarschuw deze mensen"},
		{"/plan/policies?edit=crisis", "Step 2", "Stap 2"},
		{"/plan/routes", "min_severity: high", "Beleid als geen route past"},
		{"/plan/routes?edit=1", "A risk to safety or health", "Gevaar voor veiligheid of gezondheid"},
		{"/plan/protocol", "The crisis team is paged.", "Het crisisteam wordt opgeroepen."},
		{"/plan/conduct", "root cause analysis", "Woorden om te vermijden"},
		{"/plan/organisation", "Voorbeeld B.V.", "Aanspreekvorm"},
		{"/plan/moderation", "Hate and discrimination", "Haat en discriminatie"},
	}
	for _, lang := range []string{"en", "nl"} {
		admin.submit("/lang", url.Values{"lang": {lang}, "next": {"/plan"}})
		for _, pg := range pages {
			r := admin.get(pg.path)
			if r.status != http.StatusOK {
				t.Fatalf("%s GET %s: %d", lang, pg.path, r.status)
			}
			want := pg.en
			if lang == "nl" {
				want = pg.nl
			}
			if !strings.Contains(r.body, want) {
				t.Errorf("%s GET %s lacks %q", lang, pg.path, want)
			}
		}
	}
}

func TestRelativeErrs(t *testing.T) {
	probs := []planProblem{
		{Path: "escalation.policies[2].steps[0].wait", Message: "wait"},
		{Path: "escalation.policies[2].steps[0]", Message: "target"},
		{Path: "escalation.policies[2].name", Message: "name"},
		{Path: "escalation.policies[20].name", Message: "other policy"},
		{Path: "escalation.policies[2]", Message: "itself"},
		{Path: "people[0].email", Message: "elsewhere"},
	}
	e := relativeErrs(probs, "escalation.policies[2]")
	tests := []struct {
		at   string
		want []string
	}{
		{"name", []string{"name"}},
		{"steps[0].wait", []string{"wait"}},
		{"steps", nil}, // the list itself has no problem, only its items: At("steps") has them all
		{"", []string{"itself"}},
	}
	for _, tt := range tests {
		if got := e[tt.at]; !slices.Equal(got, tt.want) {
			t.Errorf("relativeErrs[%q] = %q, want %q", tt.at, got, tt.want)
		}
	}
	got := e.At("steps")
	slices.Sort(got)
	if !slices.Equal(got, []string{"target", "wait"}) {
		t.Errorf("At(steps) = %q, want the step's problems", got)
	}
	if got := e.At("step"); got != nil {
		t.Errorf("At(step) = %q, want nothing: a prefix of a name is not its parent", got)
	}
	if len(relativeErrs(probs, "")) != 0 {
		t.Error("problems with no item in the form were placed next to fields")
	}
}

// TestPlanEditConflict: the YAML editor's save is refused when someone saved another version after it
// was opened, keeping the text; saving again after that warning is a deliberate replace.
func TestPlanEditConflict(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.loggedIn(auth.Admin), h.loggedIn(auth.Admin)
	src := startingPlan(t, h)
	if page := alice.get("/plan/edit"); !strings.Contains(page.body, `name="version" value="0"`) {
		t.Fatal("the editor does not carry the version it was opened on")
	}
	if r := bob.submit("/plan/contacts", url.Values{"version": {"0"}, "id": {"nos"}, "name": {"NOS"}, "kind": {"press"}}); r.status != http.StatusSeeOther {
		t.Fatalf("bob's save: %d", r.status)
	}
	mine := strings.Replace(src, "wait: 15", "wait: 25", 1)
	r := alice.submit("/plan/edit", url.Values{"version": {"0"}, "yaml": {mine}})
	if r.status != http.StatusConflict {
		t.Fatalf("alice's stale save: status %d, want 409", r.status)
	}
	if !strings.Contains(r.body, "Someone else saved a newer version") || !strings.Contains(r.body, "wait: 25") {
		t.Error("the refused editor does not warn, or lost the text")
	}
	if !strings.Contains(r.body, `name="version" value="1"`) {
		t.Error("after the warning the editor does not carry the newest version")
	}
	if _, version := currentPlan(t, h); version != 1 {
		t.Fatalf("version %d after a refused save, want 1", version)
	}
	if r := alice.submit("/plan/edit", url.Values{"version": {"1"}, "yaml": {mine}}); r.status != http.StatusSeeOther {
		t.Fatalf("saving again after the warning: %d", r.status)
	}
	if p, version := currentPlan(t, h); version != 2 || p.Escalation.Policies[0].Steps[0].Wait != 25 {
		t.Errorf("after saving again: version %d", version)
	}
}

// TestPlanConductLongLists saves word lists longer than a page form's usual size limit, as an
// organisation with a long list of words to avoid has.
func TestPlanConductLongLists(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	const n = 180
	f := url.Values{"version": {"0"}, "tone_nl": {"Menselijk."}, "tone_en": {"Human."}, "forbidden": {strconv.Itoa(n)}}
	for i := range n {
		k := "forbidden" + strconv.Itoa(i)
		f.Set(k+"_lang", "nl")
		f.Set(k+"_word", fmt.Sprintf("verboden woord nummer %d", i))
		f.Set(k+"_instead", strings.Repeat("iets vriendelijkers ", 10))
		f.Set(k+"_why", strings.Repeat("omdat het kil klinkt ", 10))
	}
	if size := len(f.Encode()); size <= maxFormBytes {
		t.Fatalf("the form is only %d bytes; the test needs more than %d", size, maxFormBytes)
	}
	if r := admin.submit("/plan/conduct", f); r.status != http.StatusSeeOther {
		t.Fatalf("status %d", r.status)
	}
	if p, _ := currentPlan(t, h); len(p.Conduct.Forbidden) != n {
		t.Errorf("%d words to avoid saved, want %d", len(p.Conduct.Forbidden), n)
	}
}

// racingPlans is the real store with someone else saving a version right after each armed read, the
// moment between a form's version check and its save.
type racingPlans struct {
	*sqlite.Store
	armed bool
}

func (r *racingPlans) LatestPlan(ctx context.Context) (store.PlanVersion, error) {
	v, err := r.Store.LatestPlan(ctx)
	if r.armed {
		r.armed = false
		_, src, _, cerr := plan.Current(ctx, r.Store)
		if cerr != nil {
			return v, cerr
		}
		other := store.PlanVersion{YAML: "# bob\n" + string(src), Author: "bob@example.org", CreatedAt: now}
		if serr := r.Store.SavePlan(ctx, &other); serr != nil {
			return v, serr
		}
	}
	return v, err
}

// TestPlanFormRace: when someone saves between a form's version check and its save, the store
// refuses the save and the page says the plan changed, as for a stale form.
func TestPlanFormRace(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	racing := &racingPlans{Store: h.st}
	h.web.deps.Plans = racing
	racing.armed = true
	r := admin.submit("/plan/contacts", url.Values{"version": {"0"}, "id": {"nos"}, "name": {"NOS"}, "kind": {"press"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed the plan") {
		t.Fatalf("status %d; want 409 and the conflict message", r.status)
	}
	vs, err := h.st.PlanVersions(t.Context())
	if err != nil || len(vs) != 1 || vs[0].Author != "bob@example.org" {
		t.Fatalf("stored %d versions (%v); want only bob's", len(vs), err)
	}
}

// TestPlanRouteMonitors: the route form offers the monitors there are as checkboxes, takes other
// ids as text, and stores each id once; a route naming a monitor that is gone keeps it in the text.
func TestPlanRouteMonitors(t *testing.T) {
	h := newHarness(t)
	admin := h.loggedIn(auth.Admin)
	m := h.acmeMonitor()
	if page := admin.get("/plan/routes"); !strings.Contains(page.body, `name="monitor_id" value="`+m.ID+`"`) {
		t.Fatal("the route form does not offer the monitor")
	}
	r := admin.submit("/plan/routes", url.Values{"version": {"0"}, "monitor_id": {m.ID}, "monitor": {m.ID + ", oud"}, "policy": {"crisis"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d", r.status)
	}
	p, _ := currentPlan(t, h)
	rt := p.Escalation.Route.Routes[len(p.Escalation.Route.Routes)-1]
	if !slices.Equal(rt.Match.Monitor, []string{m.ID, "oud"}) {
		t.Fatalf("monitors %q, want the checked one and the typed one, once each", rt.Match.Monitor)
	}
	edit := admin.get("/plan/routes?edit=" + strconv.Itoa(len(p.Escalation.Route.Routes)-1))
	if !strings.Contains(edit.body, `id="rt-mon-`+m.ID+`" name="monitor_id" value="`+m.ID+`" checked`) ||
		!strings.Contains(edit.body, `id="rt-monitor" name="monitor" value="oud"`) {
		t.Error("editing the route does not show the known monitor checked and the other one as text")
	}
}
