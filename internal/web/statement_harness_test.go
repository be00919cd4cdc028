package web

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// testStatements is the composer as serve wires it, publishing to a Mastodon account on a loopback
// server and to the manual channels.
type testStatements struct {
	svc      *statement.Service
	mastodon *statementtest.Mastodon
	mu       sync.Mutex
	channels []statement.Channel
	// legal are the e-mail addresses that may give the legal approval.
	legal map[string]bool
	// accounts are the publishing accounts, sealed with a test key.
	accounts *statement.Accounts
}

func (c *testStatements) Channels(context.Context) ([]statement.Channel, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.channels), nil
}

// addChannel adds a channel while the server runs.
func (c *testStatements) addChannel(ch statement.Channel) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.channels = append(c.channels, ch)
}

// makeLegal lets email give the legal approval.
func (c *testStatements) makeLegal(email string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.legal[email] = true
}

func (c *testStatements) isLegal(_ context.Context, email string, _ bool) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.legal[email], nil
}

func newTestStatements(t testing.TB, st *sqlite.Store, clk clock.Clock, incs *incident.Service) *testStatements {
	t.Helper()
	p, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := statement.New(st, incs, clk, statement.Config{Rules: statement.RulesFromPlan(*p),
		TemplateSource: statement.PlanTemplates(st), LegalUpTo: 2}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := statementtest.NewMastodon("publish-token")
	t.Cleanup(m.Close)
	pub, err := mastodon.NewPublisher(mastodon.PublisherConfig{BaseURL: m.URL(), Token: m.Token, Client: m.Client()})
	if err != nil {
		t.Fatal(err)
	}
	chs := append([]statement.Channel{{ID: "gemeente-mastodon", Name: "@gemeente@social.example", Platform: respond.Mastodon, Publisher: pub}},
		statement.ManualChannels(respond.Platforms())...)
	box, err := secret.NewBox([]byte(strings.Repeat("t", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	return &testStatements{svc: svc, mastodon: m, channels: chs, legal: map[string]bool{}, accounts: statement.NewAccounts(st, box, clk, source.Guard{})}
}
