// Package clock is the one source of time. Serve uses the real clock; replay, drills and tests use a
// simulated one, so windows, escalation timeouts and response deadlines run the same code in both.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns the current time in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Sim is a clock that moves only when told to. It is safe for concurrent use.
type Sim struct {
	mu  sync.Mutex
	now time.Time
}

// NewSim returns a simulated clock set to t.
func NewSim(t time.Time) *Sim { return &Sim{now: t.UTC()} }

// Now returns the simulated time.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// Set moves the clock to t. Time never goes backwards: an earlier t is ignored, which lets replay feed
// slightly out-of-order posts without rewinding windows.
func (s *Sim) Set(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.After(s.now) {
		s.now = t.UTC()
	}
}

// Advance moves the clock forward by d.
func (s *Sim) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d > 0 {
		s.now = s.now.Add(d)
	}
}
