package incident

import (
	"bytes"
	_ "embed"
	"errors"
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
// a due time that is not negative. It reports every problem it finds, not just the first.
func ParsePlaybooks(b []byte) ([]Scenario, error) {
	var doc struct {
		Scenarios []Scenario `yaml:"scenarios"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("incident: playbooks: %w", err)
	}
	if len(doc.Scenarios) == 0 {
		return nil, errors.New("incident: playbooks: no scenarios")
	}
	var errs []error
	seen := map[string]bool{}
	for i, sc := range doc.Scenarios {
		where := fmt.Sprintf("scenario %d (%q)", i+1, sc.ID)
		if problems := sc.problems(); len(problems) > 0 {
			errs = append(errs, fmt.Errorf("%s: %s", where, strings.Join(problems, "; ")))
		}
		if sc.ID != "" && seen[sc.ID] {
			errs = append(errs, fmt.Errorf("%s: the id appears twice", where))
		}
		seen[sc.ID] = true
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("incident: playbooks: %w", errors.Join(errs...))
	}
	return doc.Scenarios, nil
}

// problems lists what keeps a scenario from being a complete playbook.
func (sc Scenario) problems() []string {
	var p []string
	if sc.ID == "" {
		p = append(p, "no id")
	}
	if strings.TrimSpace(sc.Name.NL) == "" || strings.TrimSpace(sc.Name.EN) == "" {
		p = append(p, "the name needs nl and en")
	}
	if sc.Severity != "" {
		if _, ok := SeverityFromLevel(sc.Severity); !ok {
			p = append(p, fmt.Sprintf("severity %q is not critical, high, medium or low", sc.Severity))
		}
	}
	covered := map[string]bool{}
	for j, t := range sc.Playbook {
		switch {
		case !slices.Contains(Steps(), t.Step):
			p = append(p, fmt.Sprintf("task %d: step %q is not one of %s", j+1, t.Step, strings.Join(Steps(), ", ")))
		case strings.TrimSpace(t.Do.NL) == "" || strings.TrimSpace(t.Do.EN) == "":
			p = append(p, fmt.Sprintf("task %d: do needs nl and en", j+1))
		case !slices.Contains(TeamRoles(), t.Owner):
			p = append(p, fmt.Sprintf("task %d: owner %q is not a team role", j+1, t.Owner))
		case t.Due < 0:
			p = append(p, fmt.Sprintf("task %d: due %d is negative", j+1, t.Due))
		}
		covered[t.Step] = true
	}
	for _, step := range Steps() {
		if !covered[step] {
			p = append(p, fmt.Sprintf("no task for step %s", step))
		}
	}
	return p
}
