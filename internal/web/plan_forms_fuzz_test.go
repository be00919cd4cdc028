package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/plan"
)

// FuzzPlanForms feeds arbitrary form posts to every structured plan form's reader, puts what they
// read into a plan, and checks that the plan written as YAML reads back with the same verdict as
// validating it in Go: whatever a form sends, what is checked is what would be stored.
func FuzzPlanForms(f *testing.F) {
	for _, s := range []string{
		"",
		"id=nos&name=NOS&kind=press&email=tips%40example.nl",
		"rotations=2&r0_people=bram,+anna&r0_start=2026-11-16T09:00&r0_days=7&r1_days=7",
		"rotations=1&r0_people=bram&r0_start=16-11-2026&r0_days=-3&time_zone=Mars/Olympus",
		"steps=3&s0_people=bram&s0_channels=inapp&s0_wait=10&s0_order=2&s1_schedules=webcare&s1_wait=x&s2_remove=1",
		"steps=99999999999999999999&s0_channels=pager",
		"severity=high&severity=huge&min_severity=low&monitor=a,,b&kind=category:boycott&kind=category:&continue=1",
		"forbidden=1&forbidden0_lang=de&forbidden0_word=x&jargon=-1&preferred=2&preferred1_word=%22quoted%22",
		"low_name_nl=Laag&low_respond=-5&critical_respond=99999999999999999999&tone_nl=%0A%09",
		"id=%C3%A9%E2%80%8B&name=%F0%9F%9A%A8&notes=line%0Aline&form=jij",
		"name=%FF%FE&tone_en=%00",
		"name=Gemeente&lang=nl&form=jij&time_zone=Local",
		"monitor_id=m1&monitor_id=m1&monitor=m1,+m2,&monitor_id=",
		"harms=2&h0_id=hate&h0_action=delete&h1_id=hate&h1_name_nl=x&principle_en=x",
	} {
		f.Add(s)
	}
	base, err := plan.Default()
	if err != nil {
		f.Fatal(err)
	}
	// The forms do not touch scenarios and templates, whose checks are the slow part of validation.
	base.Scenarios, base.Templates = nil, nil
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			return // the request wrapper refuses a body that is not a form before any handler runs
		}
		p, err := copyPlan(base)
		if err != nil {
			t.Fatal(err)
		}
		p.Contacts = append(p.Contacts, contactFromForm(r))
		p.Schedules = append(p.Schedules, scheduleFromForm(r))
		p.Escalation.Policies = append(p.Escalation.Policies, policyFromForm(r))
		p.Escalation.Route.Routes = append(p.Escalation.Route.Routes, routeFromForm(r))
		p.Protocol = protocolFromForm(r)
		p.Conduct = conductFromForm(r)
		p.Organisation = organisationFromForm(r)
		p.Moderation = moderationFromForm(r)
		src, err := plan.Encode(p)
		if err != nil {
			t.Fatalf("encode the plan a form built: %v", err)
		}
		_, perr := plan.Parse(src)
		verrs := p.Validate()
		if (perr == nil) != (len(verrs) == 0) {
			t.Fatalf("validating in Go says %v, reading the YAML says %v", verrs, perr)
		}
	})
}
