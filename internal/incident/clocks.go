package incident

import (
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

// States of the first-response clock.
const (
	ClockPending  = "pending"  // running, no warning reached yet
	ClockWarning  = "warning"  // running, past at least one warning
	ClockBreached = "breached" // running, past the due time
	ClockMet      = "met"      // first statement published in time
	ClockMetLate  = "met_late" // first statement published after the due time: the breach stays marked
	ClockStopped  = "stopped"  // resolved without any public statement
)

// ClockConfig sets the response clocks. The zero value of a field takes its default.
type ClockConfig struct {
	// FirstResponse is how long after detection the first public response is due; 60 minutes by
	// default. A severity whose plan definition sets RespondWithin uses that instead.
	FirstResponse time.Duration
	// Warnings are the times after detection at which the first-response clock warns, earliest
	// first; 30 and 45 minutes by default.
	Warnings []time.Duration
	// UpdateEvery is how long after each public statement the next update is due; 60 minutes by
	// default, since silence in a crisis is filled by others.
	UpdateEvery time.Duration
}

func (c ClockConfig) withDefaults() ClockConfig {
	if c.FirstResponse <= 0 {
		c.FirstResponse = 60 * time.Minute
	}
	if len(c.Warnings) == 0 {
		c.Warnings = []time.Duration{30 * time.Minute, 45 * time.Minute}
	}
	if c.UpdateEvery <= 0 {
		c.UpdateEvery = 60 * time.Minute
	}
	return c
}

// Clocks is where an incident stands against its response times at one moment.
type Clocks struct {
	Now time.Time
	// SinceDetection runs from detection to now, or to the resolution.
	SinceDetection time.Duration
	// TimeToAcknowledge runs from detection to the first acknowledgement; until then, to now.
	TimeToAcknowledge time.Duration
	Acknowledged      bool

	FirstResponseDue time.Time
	// FirstResponseLeft is the time left until the due time; negative once past it.
	FirstResponseLeft time.Duration
	FirstResponse     string // one of the Clock states
	// WarningsPassed counts the warnings reached while the clock ran (all of them once breached).
	WarningsPassed int
	// Breached marks a first response that was, or still is, late.
	Breached bool

	// NextUpdateDue is when the next public update is due: the first-response due time until the
	// first statement, then UpdateEvery after the latest one. It is zero once the incident is resolved.
	NextUpdateDue     time.Time
	NextUpdateOverdue bool
}

// ClocksAt computes the clocks of inc at now. firstResponse overrides the configured first-response
// time when positive (the plan's definition of the incident's severity).
func ClocksAt(inc store.Incident, now time.Time, cfg ClockConfig, firstResponse time.Duration) Clocks {
	cfg = cfg.withDefaults()
	if firstResponse <= 0 {
		firstResponse = cfg.FirstResponse
	}
	closed := !inc.ResolvedAt.IsZero()
	end := now
	if closed && inc.ResolvedAt.Before(now) {
		end = inc.ResolvedAt
	}
	c := Clocks{Now: now, SinceDetection: end.Sub(inc.DetectedAt)}
	if inc.AcknowledgedAt.IsZero() {
		c.TimeToAcknowledge = end.Sub(inc.DetectedAt)
	} else {
		c.Acknowledged = true
		c.TimeToAcknowledge = inc.AcknowledgedAt.Sub(inc.DetectedAt)
	}

	c.FirstResponseDue = inc.DetectedAt.Add(firstResponse)
	c.FirstResponseLeft = c.FirstResponseDue.Sub(now)
	// The clock stops at the first statement, or at resolution without one.
	stop := end
	if !inc.FirstResponseAt.IsZero() {
		stop = inc.FirstResponseAt
	}
	elapsed := stop.Sub(inc.DetectedAt)
	for _, w := range cfg.Warnings {
		if w < firstResponse && elapsed >= w {
			c.WarningsPassed++
		}
	}
	c.Breached = elapsed > firstResponse || inc.FirstResponseAt.IsZero() && elapsed == firstResponse
	switch {
	case !inc.FirstResponseAt.IsZero() && c.Breached:
		c.FirstResponse = ClockMetLate
	case !inc.FirstResponseAt.IsZero():
		c.FirstResponse = ClockMet
	case closed && !c.Breached:
		c.FirstResponse = ClockStopped
	case c.Breached:
		c.FirstResponse = ClockBreached
	case c.WarningsPassed > 0:
		c.FirstResponse = ClockWarning
	default:
		c.FirstResponse = ClockPending
	}

	if !closed {
		if inc.LastUpdateAt.IsZero() {
			c.NextUpdateDue = c.FirstResponseDue
		} else {
			c.NextUpdateDue = inc.LastUpdateAt.Add(cfg.UpdateEvery)
		}
		c.NextUpdateOverdue = !now.Before(c.NextUpdateDue)
	}
	return c
}
