package detect

import (
	"testing"
	"time"
)

func TestWarmupLevel(t *testing.T) {
	cfg := DefaultConfig()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name        string
		watched     time.Duration // how long the monitor has existed
		short, long float64       // counts in the short and long windows
		want        float64
	}{
		{"sudden jump", 2 * time.Hour, 30, 40, cfg.WarmupJumpP},       // 3/min after 0.2/min
		{"slow rise", 2 * time.Hour, 8, 40, cfg.WarmupP},              // 0.8/min after 0.64/min
		{"below the factor", 2 * time.Hour, 10, 10 + 30, cfg.WarmupP}, // 1.1/min after 0.6/min: 1.8 times
		{"too new to tell", 15 * time.Minute, 30, 31, cfg.WarmupP},    // 5 minutes before the short window
		{"from nothing", 2 * time.Hour, 12, 12, cfg.WarmupJumpP},      // nothing before: the floor rate
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMonitor("m1", &cfg)
			now := start.Add(tt.watched)
			m.begun, m.first, m.cur = true, start.Unix()/60, now.Unix()/60
			if got := m.warmupLevel(now, tt.short, tt.long); got != tt.want {
				t.Errorf("warmupLevel = %g, want %g", got, tt.want)
			}
		})
	}
	off := cfg
	off.WarmupJumpP = off.WarmupP
	m := newMonitor("m1", &off)
	now := start.Add(2 * time.Hour)
	m.begun, m.first, m.cur = true, start.Unix()/60, now.Unix()/60
	if got := m.warmupLevel(now, 30, 40); got != off.WarmupP {
		t.Errorf("with the jump level turned off: %g, want WarmupP", got)
	}
}
