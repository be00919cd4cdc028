package plan

import (
	"bytes"
	"strings"
	"testing"
)

func TestDefaultIsValidAndRoundTrips(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if errs := p.Validate(); len(errs) > 0 {
		t.Fatalf("Default().Validate():\n%v", errs)
	}
	b, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(Encode(Default())):\n%v\n%s", err, b)
	}
	b2, err := Encode(q)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Errorf("Encode(Parse(Encode(Default()))) differs:\n%s\n---\n%s", b, b2)
	}
}

// The default plan seeds a playbook for each scenario the incident room offers, and each playbook
// covers every step of the lifecycle, in lifecycle order.
func TestDefaultPlaybooks(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"negative_news", "viral_complaint", "data_leak", "own_post", "product_recall", "service_outage"}
	if len(p.Scenarios) != len(want) {
		t.Fatalf("%d scenarios, want %d", len(p.Scenarios), len(want))
	}
	for i, s := range p.Scenarios {
		if s.ID != want[i] {
			t.Errorf("scenario %d is %q, want %q", i, s.ID, want[i])
		}
		var steps []string
		for _, task := range s.Playbook {
			if n := len(steps); n == 0 || steps[n-1] != task.Step {
				steps = append(steps, task.Step)
			}
		}
		if strings.Join(steps, ",") != strings.Join(LifecycleSteps(), ",") {
			t.Errorf("scenario %s has steps in the order %v, want %v", s.ID, steps, LifecycleSteps())
		}
	}
	for _, sev := range Severities() {
		l, ok := p.Protocol.Level(sev)
		if !ok || l.Meaning.NL == "" || l.Meaning.EN == "" {
			t.Errorf("severity %s has no description in both languages", sev)
		}
	}
}
