package alert

import (
	"fmt"
	"strings"

	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// Severity orders alerts from low to critical.
type Severity int8

// Severities, lowest first.
const (
	Low Severity = iota
	Medium
	High
	Critical
)

var severityNames = [...]string{"low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Low || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText writes the name, as the alert event contract has it.
func (s Severity) MarshalText() ([]byte, error) {
	if s < Low || s > Critical {
		return nil, fmt.Errorf("alert: invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a name; the crisis plan uses it for its overrides.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads low, medium, high or critical.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return Low, fmt.Errorf("alert: severity %q: want low, medium, high or critical", name)
}

// Rules compute an alert's severity from its signal: a base per kind, raised one step for each
// threshold the signal passes, capped during warm-up. The crisis plan overrides these; DefaultRules is
// what applies without one.
type Rules struct {
	Base         map[string]Severity // by kind; a category kind falls back to Base["category:"]
	ReachHigh    int64               // reach at or above this raises one step
	ReachCrit    int64               // reach at or above this makes the alert critical
	RatioHigh    float64             // observed/expected at or above this raises one step (window detectors)
	VelocityHigh float64             // viral velocity per minute at or above this raises one step
	NegShareHigh float64             // negative share at or above this raises one step (volume and negative spikes)
	WarmupCap    Severity            // the highest severity while a monitor is warming up
}

// DefaultRules returns the built-in severity rules.
func DefaultRules() Rules {
	return Rules{
		Base: map[string]Severity{
			detect.VolumeSpike:         Medium,
			detect.NegativeSpike:       High,
			detect.ViralPost:           Medium,
			detect.InfluentialAuthor:   Medium,
			detect.CoordinatedCampaign: Medium,
			detect.KindCategoryPrefix:  Medium,
			"category:data_breach":     High,
			"category:product_safety":  High,
			"category:discrimination":  High,
		},
		ReachHigh:    100_000,
		ReachCrit:    2_000_000,
		RatioHigh:    10,
		VelocityHigh: 10,
		NegShareHigh: 0.6,
		WarmupCap:    High,
	}
}

// Severity scores one signal.
func (r *Rules) Severity(s *detect.Signal) Severity {
	sev, ok := r.Base[s.Kind]
	if !ok {
		if sev, ok = r.Base[detect.KindCategoryPrefix]; !ok || !strings.HasPrefix(s.Kind, detect.KindCategoryPrefix) {
			sev = Medium
		}
	}
	if s.Kind == detect.InfluentialAuthor && s.AuthorKind == "press" {
		sev++
	}
	if r.ReachHigh > 0 && max(s.Reach, s.Predicted) >= r.ReachHigh {
		sev++
	}
	if r.RatioHigh > 0 && s.Expected > 0 && s.Observed/s.Expected >= r.RatioHigh &&
		(s.Kind == detect.VolumeSpike || s.Kind == detect.NegativeSpike) {
		sev++
	}
	if r.VelocityHigh > 0 && s.Velocity >= r.VelocityHigh {
		sev++
	}
	if r.NegShareHigh > 0 && s.NegShare >= r.NegShareHigh && (s.Kind == detect.VolumeSpike || s.Kind == detect.NegativeSpike) {
		sev++
	}
	if r.ReachCrit > 0 && max(s.Reach, s.Predicted) >= r.ReachCrit {
		sev = Critical
	}
	sev = min(sev, Critical)
	if s.Warmup {
		sev = min(sev, r.WarmupCap)
	}
	return sev
}
