package incident

import (
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

var detected = time.Date(2026, 11, 20, 9, 12, 0, 0, time.UTC)

// TestClocks moves a simulated clock to each moment and checks every clock of the incident there.
func TestClocks(t *testing.T) {
	minute := time.Minute
	at := func(d time.Duration) time.Time { return detected.Add(d) }
	tests := []struct {
		name     string
		cfg      ClockConfig
		within   time.Duration // the severity's own first-response time
		inc      func(*store.Incident)
		now      time.Duration
		since    time.Duration
		ack      time.Duration
		acked    bool
		state    string
		warnings int
		breached bool
		left     time.Duration
		due      time.Duration // first response due, after detection
		next     time.Duration // next update due, after detection; -1 for none
		overdue  bool
	}{
		{name: "at detection", now: 0, state: ClockPending, left: 60 * minute, due: 60 * minute, next: 60 * minute},
		{name: "just before the first warning", now: 30*minute - time.Second, since: 30*minute - time.Second,
			ack: 30*minute - time.Second, state: ClockPending, left: 30*minute + time.Second, due: 60 * minute, next: 60 * minute},
		{name: "first warning", now: 30 * minute, since: 30 * minute, ack: 30 * minute, state: ClockWarning, warnings: 1,
			left: 30 * minute, due: 60 * minute, next: 60 * minute},
		{name: "second warning", now: 45 * minute, since: 45 * minute, ack: 45 * minute, state: ClockWarning, warnings: 2,
			left: 15 * minute, due: 60 * minute, next: 60 * minute},
		{name: "one second before the breach", now: 60*minute - time.Second, since: 60*minute - time.Second,
			ack: 60*minute - time.Second, state: ClockWarning, warnings: 2, left: time.Second, due: 60 * minute, next: 60 * minute},
		{name: "breached at the due time", now: 60 * minute, since: 60 * minute, ack: 60 * minute, state: ClockBreached,
			warnings: 2, breached: true, due: 60 * minute, next: 60 * minute, overdue: true},
		{name: "acknowledged after four minutes", inc: func(i *store.Incident) { i.AcknowledgedAt = at(4 * minute) },
			now: 10 * minute, since: 10 * minute, ack: 4 * minute, acked: true, state: ClockPending, left: 50 * minute,
			due: 60 * minute, next: 60 * minute},
		{name: "responded in time", inc: func(i *store.Incident) { i.FirstResponseAt, i.LastUpdateAt = at(50*minute), at(50*minute) },
			now: 70 * minute, since: 70 * minute, ack: 70 * minute, state: ClockMet, warnings: 2, left: -10 * minute,
			due: 60 * minute, next: 110 * minute},
		{name: "responded exactly at the due time", inc: func(i *store.Incident) { i.FirstResponseAt, i.LastUpdateAt = at(60*minute), at(60*minute) },
			now: 60 * minute, since: 60 * minute, ack: 60 * minute, state: ClockMet, warnings: 2, due: 60 * minute, next: 120 * minute},
		{name: "responded late keeps the breach mark", inc: func(i *store.Incident) { i.FirstResponseAt, i.LastUpdateAt = at(61*minute), at(61*minute) },
			now: 90 * minute, since: 90 * minute, ack: 90 * minute, state: ClockMetLate, warnings: 2, breached: true,
			left: -30 * minute, due: 60 * minute, next: 121 * minute},
		{name: "next update overdue", inc: func(i *store.Incident) { i.FirstResponseAt, i.LastUpdateAt = at(20*minute), at(20*minute) },
			now: 80 * minute, since: 80 * minute, ack: 80 * minute, state: ClockMet, left: -20 * minute, due: 60 * minute,
			next: 80 * minute, overdue: true},
		{name: "resolved without a statement stops the clocks", inc: func(i *store.Incident) { i.ResolvedAt = at(20 * minute) },
			now: 3 * time.Hour, since: 20 * minute, ack: 20 * minute, state: ClockStopped, left: -120 * minute, due: 60 * minute, next: -1},
		{name: "resolved after a breach", inc: func(i *store.Incident) { i.ResolvedAt = at(70 * minute) },
			now: 3 * time.Hour, since: 70 * minute, ack: 70 * minute, state: ClockBreached, warnings: 2, breached: true,
			left: -120 * minute, due: 60 * minute, next: -1},
		{name: "configured 90 minutes with its own warnings", cfg: ClockConfig{FirstResponse: 90 * minute,
			Warnings: []time.Duration{60 * minute}, UpdateEvery: 30 * minute},
			now: 75 * minute, since: 75 * minute, ack: 75 * minute, state: ClockWarning, warnings: 1, left: 15 * minute,
			due: 90 * minute, next: 90 * minute},
		{name: "the severity's definition asks for 30 minutes", within: 30 * minute,
			now: 31 * minute, since: 31 * minute, ack: 31 * minute, state: ClockBreached, breached: true, left: -minute,
			due: 30 * minute, next: 30 * minute, overdue: true},
		{name: "a warning past a short due time does not count", within: 40 * minute,
			now: 35 * minute, since: 35 * minute, ack: 35 * minute, state: ClockWarning, warnings: 1, left: 5 * minute,
			due: 40 * minute, next: 40 * minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewSim(detected)
			inc := store.Incident{DetectedAt: detected, DeclaredAt: detected.Add(2 * minute)}
			if tt.inc != nil {
				tt.inc(&inc)
			}
			clk.Advance(tt.now)
			c := ClocksAt(inc, clk.Now(), tt.cfg, tt.within)
			if c.SinceDetection != tt.since || c.TimeToAcknowledge != tt.ack || c.Acknowledged != tt.acked {
				t.Errorf("since %v ack %v acked %v, want %v %v %v", c.SinceDetection, c.TimeToAcknowledge,
					c.Acknowledged, tt.since, tt.ack, tt.acked)
			}
			if c.FirstResponse != tt.state || c.WarningsPassed != tt.warnings || c.Breached != tt.breached {
				t.Errorf("first response %s, %d warnings, breached %v; want %s, %d, %v", c.FirstResponse,
					c.WarningsPassed, c.Breached, tt.state, tt.warnings, tt.breached)
			}
			if !c.FirstResponseDue.Equal(at(tt.due)) || c.FirstResponseLeft != tt.left {
				t.Errorf("due %v, left %v; want %v, %v", c.FirstResponseDue, c.FirstResponseLeft, at(tt.due), tt.left)
			}
			switch {
			case tt.next < 0 && !c.NextUpdateDue.IsZero():
				t.Errorf("next update due %v on a resolved incident", c.NextUpdateDue)
			case tt.next >= 0 && !c.NextUpdateDue.Equal(at(tt.next)):
				t.Errorf("next update due %v, want %v", c.NextUpdateDue, at(tt.next))
			}
			if c.NextUpdateOverdue != tt.overdue {
				t.Errorf("next update overdue %v, want %v", c.NextUpdateOverdue, tt.overdue)
			}
		})
	}
}
