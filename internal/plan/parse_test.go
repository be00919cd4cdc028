package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimal is a small valid plan. The tests below break it in one place each; its line numbers matter.
const minimal = `organisation:
  name: Gemeente Voorbeeld
  lang: nl
  form: u
people:
  - id: anna
    name: Anna
    roles: [crisis_lead]
    email: anna@example.org
  - id: bram
    name: Bram
    roles: [communications, spokesperson]
schedules:
  - id: dienst
    name: Dienst
    rotations:
      - people: [anna, bram]
        start: "2026-01-05 09:00"
channels:
  - id: mail
    type: email
    host: smtp.example.org
    port: 587
    from: crisis@example.org
    password:
      secret: env:SMTP_PASSWORD
escalation:
  policies:
    - id: team
      name: Team
      steps:
        - schedules: [dienst]
          channels: [inapp]
          wait: 5
        - people: [anna]
          channels: [mail]
          wait: 10
  route:
    policy: team
protocol:
  levels:
    - severity: low
      name: {nl: Laag, en: Low}
      meaning: {nl: Weinig, en: Little}
      action: {nl: Niets, en: Nothing}
    - severity: medium
      name: {nl: Middel, en: Medium}
      meaning: {nl: Meer, en: More}
      action: {nl: Kijken, en: Look}
    - severity: high
      name: {nl: Hoog, en: High}
      meaning: {nl: Veel, en: Much}
      action: {nl: Oproepen, en: Page}
      respond_within: 60
    - severity: critical
      name: {nl: Crisis, en: Crisis}
      meaning: {nl: Alles, en: All}
      action: {nl: Iedereen, en: Everyone}
      respond_within: 30
conduct:
  tone: {nl: Menselijk, en: Human}
moderation:
  principle: {nl: Verberg alleen wat schaadt, en: Hide only what harms}
  harms:
    - id: threat
      name: {nl: Bedreiging, en: Threat}
      description: {nl: Bedreigingen, en: Threats}
      action: hide_and_report
`

func TestParseMinimal(t *testing.T) {
	p, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatalf("Parse(minimal):\n%v", err)
	}
	if p.Escalation.Policies[0].Steps[1].Wait != 10 || p.Channels[0].Password.Ref != "env:SMTP_PASSWORD" {
		t.Errorf("Parse(minimal) read %+v", p)
	}
}

// TestParseErrors breaks the minimal plan and checks every error's path, message and position.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old (once) with new in minimal
		want     []string
	}{
		{"wait zero", "wait: 10", "wait: 0",
			[]string{"escalation.policies[0].steps[1].wait: must be > 0 (line 37, column 17)"}},
		{"wait not a number", "wait: 10", "wait: ten",
			[]string{"escalation.policies[0].steps[1].wait: must be a whole number (line 37, column 17)"}},
		{"unknown field with suggestion", "wait: 10", "wiat: 10",
			[]string{
				// The missing wait is reported too, where its step is.
				"escalation.policies[0].steps[1].wait: must be > 0 (line 35, column 11)",
				`escalation.policies[0].steps[1].wiat: unknown field "wiat" (did you mean "wait"?) (line 37, column 11)`,
			}},
		{"unknown field far from any", "  form: u\n", "  form: u\n  colour: blue\n",
			[]string{`organisation.colour: unknown field "colour" (line 5, column 3)`}},
		{"unknown person in a step", "people: [anna]\n", "people: [anne]\n",
			[]string{`escalation.policies[0].steps[1].people[0]: no person with id "anne" (line 35, column 20)`}},
		{"unknown schedule", "schedules: [dienst]", "schedules: [nacht]",
			[]string{`escalation.policies[0].steps[0].schedules[0]: no schedule with id "nacht" (line 32, column 23)`}},
		{"unknown policy in the route", "policy: team", "policy: teams",
			[]string{`escalation.route.policy: no policy with id "teams" (line 39, column 13)`}},
		{"duplicate person id", "  - id: bram\n", "  - id: anna\n",
			[]string{
				`people[1].id: duplicate id "anna" (also at people[0]) (line 10, column 9)`,
				`schedules[0].rotations[0].people[1]: no person with id "bram" (line 17, column 24)`,
			}},
		{"secret in clear", "      secret: env:SMTP_PASSWORD\n", "      secret: hunter2\n",
			[]string{`channels[0].password.secret: "hunter2" must be env:NAME or file:PATH (line 26, column 15)`}},
		{"password written as a value", "    password:\n      secret: env:SMTP_PASSWORD\n", "    password: hunter2\n",
			[]string{"channels[0].password: secrets are never written into the plan: write {secret: env:NAME} or {secret: file:PATH} (line 25, column 15)"}},
		{"missing severity level", "    - severity: low\n", "    - severity: medium\n",
			[]string{
				`protocol.levels: severity "low" has no description (line 42, column 5)`,
				`protocol.levels[1].severity: duplicate id "medium" (also at protocol.levels[0]) (line 46, column 17)`,
			}},
		{"missing translation", "tone: {nl: Menselijk, en: Human}", "tone: {nl: Menselijk}",
			[]string{"conduct.tone.en: is required (line 61, column 9)"}},
		{"deleting is not moderation", "action: hide_and_report", "action: delete",
			[]string{"moderation.harms[0].action: criticism is never deleted: use hide or hide_and_report (line 68, column 15)"}},
		{"bad role", "roles: [crisis_lead]", "roles: [boss]",
			[]string{`people[0].roles[0]: "boss" is not allowed: must be one of crisis_lead, communications, spokesperson, it, hr, legal, customer_service, management (line 8, column 13)`}},
		{"bad local time", `start: "2026-01-05 09:00"`, `start: "5 jan 9u"`,
			[]string{`schedules[0].rotations[0].start: "5 jan 9u" is not a local time like 2026-01-05 09:00 (line 18, column 16)`}},
		{"a list where a mapping belongs", "organisation:\n  name: Gemeente Voorbeeld\n  lang: nl\n  form: u\n", "organisation: [x]\n",
			[]string{"organisation: must be a mapping of fields (line 1, column 15)"}},
		{"aliases are refused", "  - id: anna\n", "  - &a\n    id: anna\n",
			[]string{"people[0]: anchors, aliases and merge keys are not supported in a plan; write the value out (line 6, column 5)"}},
		{"root route with a match", "    policy: team\n", "    policy: team\n    continue: true\n",
			[]string{"escalation.route: the root route takes every alert, so it has no match and no continue (line 39, column 5)"}},
		{"e-mail to someone without an address", "channels: [inapp]\n", "channels: [inapp, mail]\n",
			[]string{`escalation.policies[0].steps[0].schedules[0]: this step sends e-mail, but person "bram" has no email address (line 32, column 23)`}},
		{"every error, in document order", "wait: 5", "wait: -1\n          colour: red", []string{
			"escalation.policies[0].steps[0].wait: must be > 0 (line 34, column 17)",
			`escalation.policies[0].steps[0].colour: unknown field "colour" (line 35, column 11)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("minimal has no %q", tt.old)
			}
			src := strings.Replace(minimal, tt.old, tt.new, 1)
			p, err := Parse([]byte(src))
			if p != nil {
				t.Errorf("Parse returned a plan along with errors")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error %v is not Errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// Validation collects every problem rather than stopping at the first.
func TestParseCollectsAll(t *testing.T) {
	src := strings.NewReplacer("wait: 5", "wait: 0", "wait: 10", "wait: 0", "name: Anna", "name: ''",
		"lang: nl", "lang: de").Replace(minimal)
	_, err := Parse([]byte(src))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("got %v, want 4 errors", err)
	}
}

func TestErrorsInDutch(t *testing.T) {
	src := strings.Replace(minimal, "people: [anna]\n", "people: [anna]\n          wiat: 10\n", 1)
	_, err := Parse([]byte(src))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("got %v", err)
	}
	want := `escalation.policies[0].steps[1].wiat: onbekend veld "wiat" (bedoelt u "wait"?) (regel 36, kolom 11)`
	if got := errs[0].Text("nl"); got != want {
		t.Errorf("Text(nl) = %s, want %s", got, want)
	}
}

func TestParseNotAPlan(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "the plan is empty"},
		{"null", "~\n", "the plan is empty"},
		{"syntax", "organisation:\n  name: [x\n", "not valid YAML: "},
		{"two documents", minimal + "---\norganisation: {}\n", "a plan is one YAML document; remove the second one (line 69, column 1)"},
		{"garbage after the document", minimal + "---\n: : [\n", "not valid YAML"},
		{"scalar", "hello\n", "must be a mapping of fields (line 1, column 1)"},
		{"too large", strings.Repeat("#", MaxSize+1), "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%.20q) = %v, want an error containing %q", tt.src, err, tt.want)
			}
		})
	}
}

// Every message exists in both languages.
func TestCatalogsComplete(t *testing.T) {
	for _, c := range []*catalog{&enText, &nlText} {
		if err := catalogComplete(c); err != nil {
			t.Errorf("%s: %v", c.lang, err)
		}
	}
}

// The example in docs/PLAN.md is a valid plan.
func TestDocExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "PLAN.md"))
	if err != nil {
		t.Skipf("docs/PLAN.md: %v", err)
	}
	_, rest, ok := strings.Cut(string(b), "```yaml\n")
	if !ok {
		t.Fatal("docs/PLAN.md has no ```yaml example")
	}
	example, _, _ := strings.Cut(rest, "```")
	if _, err := Parse([]byte(example)); err != nil {
		t.Errorf("the example in docs/PLAN.md:\n%v", err)
	}
}
