package incident

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/respond"
)

// Every seeded playbook is complete in both languages: ParsePlaybooks checks names, tasks, steps,
// owners and due times; this test checks the scenarios are the six the product promises and that
// their templates exist.
func TestSeededPlaybooksComplete(t *testing.T) {
	pbs, err := SeededPlaybooks()
	if err != nil {
		t.Fatalf("SeededPlaybooks: %v", err)
	}
	ids := make([]string, len(pbs))
	for i, sc := range pbs {
		ids[i] = sc.ID
	}
	want := []string{"negative_news", "viral_complaint", "data_leak", "own_post", "product_recall", "service_outage"}
	if !slices.Equal(ids, want) {
		t.Fatalf("seeded scenarios %v, want %v", ids, want)
	}
	templates, err := respond.SeededTemplates()
	if err != nil {
		t.Fatalf("SeededTemplates: %v", err)
	}
	for _, sc := range pbs {
		if len(sc.Templates) == 0 {
			t.Errorf("%s names no templates", sc.ID)
		}
		for _, id := range sc.Templates {
			if !slices.ContainsFunc(templates, func(tpl respond.Template) bool { return tpl.ID == id }) {
				t.Errorf("%s names template %q, which is not seeded", sc.ID, id)
			}
		}
		if _, ok := SeverityFromLevel(sc.Severity); !ok {
			t.Errorf("%s has no starting severity", sc.ID)
		}
		last := -1
		for i, task := range sc.Playbook {
			step := slices.Index(Steps(), task.Step)
			if step < last {
				t.Errorf("%s task %d (%s) comes after a later step", sc.ID, i+1, task.Step)
			}
			last = step
			if task.Do.NL == task.Do.EN {
				t.Errorf("%s task %d is not translated: %q", sc.ID, i+1, task.Do.NL)
			}
		}
	}
}

func TestParsePlaybooksRejects(t *testing.T) {
	const good = `
scenarios:
  - id: x
    name: {nl: X, en: X}
    playbook:
      - {step: detect, do: {nl: a, en: a}, owner: it, due: 5}
      - {step: gather, do: {nl: b, en: b}, owner: it}
      - {step: inform, do: {nl: c, en: c}, owner: it}
      - {step: respond, do: {nl: d, en: d}, owner: spokesperson}
      - {step: monitor, do: {nl: e, en: e}, owner: communications}
      - {step: aftercare, do: {nl: f, en: f}, owner: management}
`
	if _, err := ParsePlaybooks([]byte(good)); err != nil {
		t.Fatalf("a complete playbook: %v", err)
	}
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"missing English name", "name: {nl: X, en: X}", "name: {nl: X}", "the name needs nl and en"},
		{"missing Dutch task", "do: {nl: a, en: a}", "do: {en: a}", "task 1: do needs nl and en"},
		{"unknown step", "step: gather", "step: wait", `task 2: step "wait" is not one of`},
		{"missing step", "      - {step: inform, do: {nl: c, en: c}, owner: it}\n", "", "no task for step inform"},
		{"unknown owner", "owner: it, due: 5", "owner: intern, due: 5", `task 1: owner "intern" is not a team role`},
		{"two problems", "do: {nl: a, en: a}", "do: {nl: a}", `scenario 1 ("x"): task 1: do needs nl and en`},
		{"negative due", "due: 5", "due: -5", "task 1: due -5 is negative"},
		{"unknown field", "owner: it}", "owner: it, deadline: 3}", "field deadline not found"},
		{"bad severity", "name: {nl: X, en: X}", "name: {nl: X, en: X}\n    severity: urgent", `severity "urgent"`},
		{"no id", "id: x", "id: ''", "no id"},
		{"duplicate id", "", "", "the id appears twice"},
		{"no scenarios", "", "", "no scenarios"},
		{"not yaml", "", "", "not valid YAML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(good, tc.from, tc.to, 1)
			switch tc.name {
			case "duplicate id":
				doc = good + strings.TrimPrefix(good, "\nscenarios:\n")
			case "no scenarios":
				doc = "scenarios: []\n"
			case "not yaml":
				doc = "scenarios: [\n"
			}
			_, err := ParsePlaybooks([]byte(doc))
			var pe *PlaybookError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want a *PlaybookError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
			if nl := pe.Message("nl"); nl == pe.Message("en") || strings.Contains(nl, "%!") {
				t.Errorf("Dutch message %q", nl)
			}
		})
	}
}

// FuzzParsePlaybooks checks that the parser never panics, and that what it accepts is complete and
// survives a round trip through YAML unchanged.
func FuzzParsePlaybooks(f *testing.F) {
	f.Add(seededPlaybooks)
	f.Add([]byte("scenarios: []\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pbs, err := ParsePlaybooks(b)
		if err != nil {
			return
		}
		for _, sc := range pbs {
			if p := sc.problems(); len(p) > 0 {
				t.Fatalf("accepted an incomplete playbook %q: %v", sc.ID, p)
			}
		}
		out, err := yaml.Marshal(map[string][]Scenario{"scenarios": pbs})
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParsePlaybooks(out)
		if err != nil {
			t.Fatalf("the written playbooks do not parse: %v\n%s", err, out)
		}
		a, _ := yaml.Marshal(again)
		b2, _ := yaml.Marshal(pbs)
		if string(a) != string(b2) {
			t.Fatalf("round trip changed the playbooks:\n%s\n---\n%s", b2, a)
		}
	})
}
