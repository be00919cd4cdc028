package plan

import (
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
)

func defaultYAML(b *testing.B) []byte {
	b.Helper()
	p, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	src, err := Encode(p)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

// CPU time per operation is reported beside wall time, which other work on a shared machine skews.

// BenchmarkParseDefault measures loading and validating a full plan, which import and every plan edit do.
func BenchmarkParseDefault(b *testing.B) {
	src := defaultYAML(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start, _ := cputime.Process()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
	cputime.Report(b, start)
}

// BenchmarkUnmarshalDefault is the baseline for Parse: yaml.v3 decoding the same plan into the same
// types, without positions, shape checks or validation.
func BenchmarkUnmarshalDefault(b *testing.B) {
	src := defaultYAML(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start, _ := cputime.Process()
	for b.Loop() {
		var p Plan
		if err := yaml.Unmarshal(src, &p); err != nil {
			b.Fatal(err)
		}
	}
	cputime.Report(b, start)
}

// BenchmarkRoute measures choosing the policies for one alert, which happens for every alert event.
func BenchmarkRoute(b *testing.B) {
	p := routingPlan()
	a := Alert{Severity: SeverityCritical, Monitor: "brand", Kind: "influential_author", Categories: []string{"data_breach"}}
	b.ReportAllocs()
	start, _ := cputime.Process()
	for b.Loop() {
		if len(p.Route(a)) == 0 {
			b.Fatal("no policy")
		}
	}
	cputime.Report(b, start)
}

// BenchmarkOnDuty measures resolving a schedule, which each escalation step does.
func BenchmarkOnDuty(b *testing.B) {
	p := schedulePlan()
	at := time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	start, _ := cputime.Process()
	for b.Loop() {
		if len(p.OnDuty("weekly", at)) != 1 {
			b.Fatal("nobody on duty")
		}
	}
	cputime.Report(b, start)
}
