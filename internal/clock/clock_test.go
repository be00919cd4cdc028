package clock

import (
	"testing"
	"time"
)

func TestSimMovesOnlyForward(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	c := NewSim(t0)
	steps := []struct {
		name string
		do   func()
		want time.Time
	}{
		{"advance", func() { c.Advance(90 * time.Second) }, t0.Add(90 * time.Second)},
		{"negative advance is ignored", func() { c.Advance(-time.Hour) }, t0.Add(90 * time.Second)},
		{"set forward", func() { c.Set(t0.Add(time.Hour)) }, t0.Add(time.Hour)},
		{"set backward is ignored", func() { c.Set(t0) }, t0.Add(time.Hour)},
	}
	for _, s := range steps {
		s.do()
		if got := c.Now(); !got.Equal(s.want) {
			t.Fatalf("%s: Now() = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestRealIsUTC(t *testing.T) {
	if loc := (Real{}).Now().Location(); loc != time.UTC {
		t.Fatalf("Real.Now() location = %v, want UTC", loc)
	}
}
