package main

import (
	"log/slog"
	"sync/atomic"

	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/statement"
)

// The parts of the crisis plan below are used on every page view or statement check, so they are
// not read from the store each time: they are converted once per plan version that the channelSet
// sees (at most planPoll after a save, or at once when an alert fires) and handed out from memory.

// currentProtocol is the incident room's view of the newest plan: the protocol's severity
// definitions with their first-response minutes, and the scenarios' playbooks.
type currentProtocol struct {
	cur atomic.Pointer[incident.Config]
}

func (c *currentProtocol) use(p *plan.Plan, _ int64) {
	cfg := incidentConfig(p)
	c.cur.Store(&cfg)
}

// get is incident.Config.Current. Before any plan was seen it returns nothing, which leaves the
// service with the definitions and playbooks it was built with.
func (c *currentProtocol) get() ([]incident.Definition, []incident.Scenario) {
	cfg := c.cur.Load()
	if cfg == nil {
		return nil, nil
	}
	return cfg.Definitions, cfg.Playbooks
}

// currentConduct is the statement check's linter, compiled from the newest plan's conduct rules:
// words to avoid, jargon and the form of address.
type currentConduct struct {
	cur atomic.Pointer[respond.Linter]
	log *slog.Logger
}

func (c *currentConduct) use(p *plan.Plan, version int64) {
	l, err := respond.NewLinter(statement.RulesFromPlan(*p))
	if err != nil {
		// plan.Parse checks the conduct rules, so only a plan built in code could get here.
		c.log.Error("the conduct rules of a newer crisis plan do not compile; the statement check keeps the earlier ones",
			"version", version, "err", err)
		return
	}
	c.cur.Store(l)
}

// linter is statement.Config.Linter; nil before any plan was seen, which keeps the composer's own.
func (c *currentConduct) linter() *respond.Linter { return c.cur.Load() }
