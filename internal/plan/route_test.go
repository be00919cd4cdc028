package plan

import (
	"slices"
	"testing"
)

// routingPlan is a tree in the shape of Alertmanager's routing tests: continue, inheritance, nesting
// and a fallback to the parent when no child matches.
func routingPlan() *Plan {
	pol := func(ids ...string) []Policy {
		out := make([]Policy, len(ids))
		for i, id := range ids {
			out[i] = Policy{ID: id, Name: id}
		}
		return out
	}
	return &Plan{Escalation: Escalation{
		Policies: pol("default", "crisis", "brand", "viral", "high", "press"),
		Route: Route{Policy: "default", Routes: []Route{
			{Match: Match{Severity: []string{SeverityCritical}}, Policy: "crisis", Continue: true},
			{Match: Match{Monitor: []string{"brand"}}, Policy: "brand", Routes: []Route{
				{Match: Match{Kind: []string{"viral_post"}}, Policy: "viral"},
				{Match: Match{Category: []string{"data_breach"}}},
				{Match: Match{Kind: []string{"influential_author"}}, Policy: "press", Continue: true},
				{Match: Match{Kind: []string{"influential_author"}, MinSeverity: SeverityMedium}, Policy: "press"},
			}},
			{Match: Match{MinSeverity: SeverityHigh}, Policy: "high"},
		}},
	}}
}

func TestRoute(t *testing.T) {
	p := routingPlan()
	tests := []struct {
		name  string
		alert Alert
		want  []string
	}{
		{"nothing matches: the root", Alert{Severity: SeverityLow, Monitor: "other", Kind: "volume_spike"}, []string{"default"}},
		{"unknown severity: the root", Alert{Monitor: "other"}, []string{"default"}},
		{"continue goes on to later siblings", Alert{Severity: SeverityCritical, Monitor: "other", Kind: "volume_spike"}, []string{"crisis", "high"}},
		{"continue then first match below", Alert{Severity: SeverityCritical, Monitor: "brand", Kind: "viral_post"}, []string{"crisis", "viral"}},
		{"no child matches: the node itself", Alert{Severity: SeverityMedium, Monitor: "brand", Kind: "volume_spike"}, []string{"brand"}},
		{"child without policy inherits", Alert{Severity: SeverityMedium, Monitor: "brand", Kind: "category:data_breach"}, []string{"brand"}},
		{"category from the posts", Alert{Severity: SeverityLow, Monitor: "brand", Kind: "negative_spike", Categories: []string{"fraud_scam", "data_breach"}}, []string{"brand"}},
		{"first match wins over a later sibling", Alert{Severity: SeverityHigh, Monitor: "brand", Kind: "viral_post"}, []string{"viral"}},
		{"min_severity matches higher", Alert{Severity: SeverityHigh, Monitor: "other", Kind: "volume_spike"}, []string{"high"}},
		{"min_severity does not match lower", Alert{Severity: SeverityMedium, Monitor: "other", Kind: "volume_spike"}, []string{"default"}},
		{"the same policy twice is returned once", Alert{Severity: SeverityMedium, Monitor: "brand", Kind: "influential_author"}, []string{"press"}},
		{"continue into a sibling that does not match", Alert{Severity: SeverityLow, Monitor: "brand", Kind: "influential_author"}, []string{"press"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, pol := range p.Route(tt.alert) {
				got = append(got, pol.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Route(%+v) = %v, want %v", tt.alert, got, tt.want)
			}
		})
	}
}

func TestRouteDefaultPlan(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		alert Alert
		want  string
	}{
		{Alert{Severity: SeverityLow, Kind: "volume_spike"}, "webcare"},
		{Alert{Severity: SeverityMedium, Kind: "negative_spike"}, "webcare"},
		{Alert{Severity: SeverityHigh, Kind: "volume_spike"}, "crisis"},
		{Alert{Severity: SeverityCritical, Kind: "viral_post"}, "crisis"},
		{Alert{Severity: SeverityLow, Kind: "category:data_breach"}, "crisis"},
	}
	for _, tt := range tests {
		got := p.Route(tt.alert)
		if len(got) != 1 || got[0].ID != tt.want {
			t.Errorf("Route(%+v) = %v, want [%s]", tt.alert, got, tt.want)
		}
	}
}
