package incident

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The six steps of the crisis lifecycle that playbook tasks belong to, in the crisis plan's words.
const (
	StepDetect    = "detect"
	StepGather    = "gather"
	StepInform    = "inform"
	StepRespond   = "respond"
	StepMonitor   = "monitor"
	StepAftercare = "aftercare"
)

// Steps is the fixed order of the lifecycle: detect & triage, gather information, inform internally,
// respond externally, monitor & adjust, aftercare.
func Steps() []string {
	return []string{StepDetect, StepGather, StepInform, StepRespond, StepMonitor, StepAftercare}
}

// TeamRoles are the crisis plan's team roles, which own playbook tasks.
func TeamRoles() []string {
	return []string{"crisis_lead", "communications", "spokesperson", "it", "hr", "legal",
		"customer_service", "management"}
}

// Scenario is a kind of crisis with its playbook. Its YAML shape is the crisis plan's scenarios
// section, so a playbook moves between the two unchanged.
type Scenario struct {
	ID   string `yaml:"id"`
	Name Text   `yaml:"name"`
	// Severity is the plan level (critical, high, medium, low) the scenario usually starts at.
	Severity  string   `yaml:"severity,omitempty"`
	Templates []string `yaml:"templates,omitempty"`
	Playbook  []Task   `yaml:"playbook"`
}

// Task is one checklist item of a playbook.
type Task struct {
	Step  string `yaml:"step"`
	Do    Text   `yaml:"do"`
	Owner string `yaml:"owner"`
	// Due is how many minutes after detection the task should be done; zero when it has no deadline.
	Due int `yaml:"due,omitempty"`
}

//go:embed playbooks.yaml
var seededPlaybooks []byte

// SeededPlaybooks returns the playbooks crisisdesk ships with.
func SeededPlaybooks() ([]Scenario, error) {
	return ParsePlaybooks(seededPlaybooks)
}

// ParsePlaybooks reads {"scenarios": [...]} and checks that every playbook is complete: named and
// worded in Dutch and English, with tasks for every lifecycle step, each owned by a team role, with
// a due time that is not negative. It reports every problem it finds, not just the first, as a
// *PlaybookError.
func ParsePlaybooks(b []byte) ([]Scenario, error) {
	var doc struct {
		Scenarios []Scenario `yaml:"scenarios"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, &PlaybookError{Problems: []PlaybookProblem{{Code: "syntax", Args: []any{err.Error()}}}}
	}
	if len(doc.Scenarios) == 0 {
		return nil, &PlaybookError{Problems: []PlaybookProblem{{Code: "no_scenarios"}}}
	}
	var problems []PlaybookProblem
	seen := map[string]bool{}
	for i, sc := range doc.Scenarios {
		for _, p := range sc.problems() {
			p.Scenario, p.ID = i+1, sc.ID
			problems = append(problems, p)
		}
		if sc.ID != "" && seen[sc.ID] {
			problems = append(problems, PlaybookProblem{Scenario: i + 1, ID: sc.ID, Code: "duplicate_id"})
		}
		seen[sc.ID] = true
	}
	if len(problems) > 0 {
		return nil, &PlaybookError{Problems: problems}
	}
	return doc.Scenarios, nil
}

// PlaybookError lists what keeps playbooks from being used.
type PlaybookError struct {
	Problems []PlaybookProblem
}

// PlaybookProblem is one problem, in the scenario and task it was found in (numbered from 1; zero
// when the problem is not in one).
type PlaybookProblem struct {
	Scenario int
	ID       string
	Task     int
	Code     string // key into the catalogs' playbook texts
	Args     []any
}

func (e *PlaybookError) Error() string { return "incident: playbooks: " + e.Message("en") }

// Message lists the problems in lang, one per line.
func (e *PlaybookError) Message(lang string) string {
	c := catalogFor(lang)
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		var b strings.Builder
		if p.Scenario > 0 {
			fmt.Fprintf(&b, c.playbook["in_scenario"], p.Scenario, p.ID)
			b.WriteString(": ")
		}
		if p.Task > 0 {
			fmt.Fprintf(&b, c.playbook["in_task"], p.Task)
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, c.playbook[p.Code], p.Args...)
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes a PlaybookError an ErrInvalid.
func (e *PlaybookError) Unwrap() error { return ErrInvalid }

// problems lists what keeps a scenario from being a complete playbook.
func (sc Scenario) problems() []PlaybookProblem {
	var p []PlaybookProblem
	add := func(task int, code string, args ...any) {
		p = append(p, PlaybookProblem{Task: task, Code: code, Args: args})
	}
	if sc.ID == "" {
		add(0, "no_id")
	}
	if strings.TrimSpace(sc.Name.NL) == "" || strings.TrimSpace(sc.Name.EN) == "" {
		add(0, "name_langs")
	}
	if sc.Severity != "" {
		if _, ok := SeverityFromLevel(sc.Severity); !ok {
			add(0, "bad_severity", sc.Severity)
		}
	}
	covered := map[string]bool{}
	for j, t := range sc.Playbook {
		switch {
		case !slices.Contains(Steps(), t.Step):
			add(j+1, "bad_step", t.Step, strings.Join(Steps(), ", "))
		case strings.TrimSpace(t.Do.NL) == "" || strings.TrimSpace(t.Do.EN) == "":
			add(j+1, "do_langs")
		case !slices.Contains(TeamRoles(), t.Owner):
			add(j+1, "bad_owner", t.Owner, strings.Join(TeamRoles(), ", "))
		case t.Due < 0:
			add(j+1, "negative_due", t.Due)
		}
		covered[t.Step] = true
	}
	for _, step := range Steps() {
		if !covered[step] {
			add(0, "missing_step", step)
		}
	}
	return p
}
