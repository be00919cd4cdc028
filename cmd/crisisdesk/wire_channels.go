package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// planPoll is how often serve looks for a newer crisis plan, so that channels edited in the web app,
// through the API or by `crisisdesk plan import` send without a restart. An alert that fires reads
// the plan itself and does not wait for this.
const planPoll = 10 * time.Second

// channelSet is the crisis plan's notification channels as integrations, rebuilt whenever a newer
// plan version is seen, and handed to the outbox worker. People, schedules and policies need no such
// care: the router reads them from the stored plan for every alert.
//
// It is also serve's one look at the newest plan for the parts that are kept converted between
// requests (wire_plan_follow.go): the incident room's severity definitions and playbooks, and the
// statement check's conduct rules follow it, so they change at the same moment as the channels.
type channelSet struct {
	st    plan.Versions
	inapp notify.Integration
	clk   clock.Clock
	log   *slog.Logger

	mu      sync.Mutex
	version int64 // of the plan the integrations were built from; -1 before the first
	// unusable is a newer version that could not be read as a plan; it is reported once, not at
	// every look, and the channels stay as they were.
	unusable  int64
	current   map[string]notify.Integration
	lastCheck time.Time
	// onChange is told the new integrations (the outbox worker's SetIntegrations).
	onChange func(map[string]notify.Integration)
	// plan is the newest plan seen, and followers are told each newer one (follow).
	plan      *plan.Plan
	followers []func(p *plan.Plan, version int64)
}

func newChannelSet(st plan.Versions, inapp notify.Integration, clk clock.Clock, log *slog.Logger) *channelSet {
	return &channelSet{st: st, inapp: inapp, clk: clk, log: log, version: -1}
}

// channels returns the integrations built from the newest plan seen, keyed by channel id.
func (c *channelSet) channels() map[string]notify.Integration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.current
}

// use rebuilds the integrations from p when version differs from the one they were built from.
func (c *channelSet) use(p *plan.Plan, version int64) map[string]notify.Integration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version == c.version {
		return c.current
	}
	first := c.version < 0
	c.current = buildIntegrations(p, c.inapp, c.clk, c.log)
	c.version = version
	c.plan = p
	for _, f := range c.followers {
		f(p, version)
	}
	if !first {
		c.log.Info("notification channels reloaded from a newer crisis plan", "version", version, "channels", len(c.current))
	}
	if c.onChange != nil {
		c.onChange(c.current)
	}
	return c.current
}

// follow tells f the newest plan seen, at once when there is one, and then each newer one as it is
// seen. f is called under the set's lock, so it must be quick and must not call back into the set.
func (c *channelSet) follow(f func(p *plan.Plan, version int64)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.followers = append(c.followers, f)
	if c.plan != nil {
		f(c.plan, c.version)
	}
}

// poll reloads the channels when a newer plan was stored, at most once per planPoll of the clock.
func (c *channelSet) poll(ctx context.Context) error {
	now := c.clk.Now()
	c.mu.Lock()
	due := now.Sub(c.lastCheck) >= planPoll
	if due {
		c.lastCheck = now
	}
	known, unusable := c.version, c.unusable
	c.mu.Unlock()
	if !due {
		return nil
	}
	// The version alone says whether anything changed; only a new one is parsed.
	v, err := c.st.LatestPlan(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
		v.Version = 0
	case err != nil:
		return err
	}
	if v.Version == known || v.Version == unusable {
		return nil
	}
	p, _, version, err := plan.Current(ctx, c.st)
	if err != nil {
		c.mu.Lock()
		c.unusable = v.Version
		c.mu.Unlock()
		return fmt.Errorf("plan version %d: %w; the notification channels stay as they were", v.Version, err)
	}
	c.use(p, version)
	return nil
}
