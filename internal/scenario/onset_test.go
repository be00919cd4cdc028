package scenario

import (
	"testing"
	"time"
)

// With Rise, a level the collection has held for a while is not an onset, however many tweets it has;
// the jump above it is.
func TestCrisisLexOnsetRise(t *testing.T) {
	t0 := time.Date(2012, 6, 26, 12, 0, 0, 0, time.UTC)
	var ts []time.Time
	add := func(from time.Time, n int, every time.Duration) time.Time {
		for i := range n {
			ts = append(ts, from.Add(time.Duration(i)*every))
		}
		return from.Add(time.Duration(n) * every)
	}
	plateau := add(t0, 24, 5*time.Minute)               // two hours of 2 tweets per 10 minutes
	jump := add(plateau, 120, time.Minute)              // two hours of 10 per 10 minutes: a fivefold rise
	add(jump, 300, 10*time.Second)                      // then 60 per 10 minutes: another sixfold rise
	win := OnsetRule{Count: 10, Span: 10 * time.Minute} // the stricter rule of docs/DETECTION.md
	for _, tt := range []struct {
		name     string
		rule     OnsetRule
		from, to time.Time
	}{
		{"no rise asked", win, plateau, plateau},
		{"rise 3: the plateau is one", OnsetRule{Count: 10, Span: 10 * time.Minute, Rise: 3}, plateau.Add(-10 * time.Minute), plateau},
		{"rise 5.5: only the jump is", OnsetRule{Count: 10, Span: 10 * time.Minute, Rise: 5.5}, jump.Add(-10 * time.Minute), jump},
		{"rise 20: neither", OnsetRule{Count: 10, Span: 10 * time.Minute, Rise: 20}, time.Time{}, time.Time{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CrisisLexOnset(ts, tt.rule)
			if tt.from.IsZero() {
				if ok {
					t.Errorf("onset %v, want none", got)
				}
				return
			}
			if !ok || got.Before(tt.from) || got.After(tt.to) {
				t.Errorf("onset %v (%v), want between %v and %v", got, ok, tt.from, tt.to)
			}
		})
	}
	if got := (OnsetRule{Count: 30, Span: time.Hour, Rise: 3}).String(); got != "30 tweets within 1h0m0s, at least 3× the 1h0m0s before" {
		t.Errorf("String() = %q", got)
	}
}
