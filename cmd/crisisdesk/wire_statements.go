package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/source/bluesky"
	"github.com/crisisdesk/crisisdesk/internal/source/mastodon"
	"github.com/crisisdesk/crisisdesk/internal/source/supervisor"
	"github.com/crisisdesk/crisisdesk/internal/source/x"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// defaultLegalApproval is the least severe incident severity whose statements need a legal approval
// unless configured otherwise: 1 and 2, the levels at which the plan convenes legal.
const defaultLegalApproval = 2

// parseLegalApproval reads CRISISDESK_LEGAL_APPROVAL: a severity from 1 to 4, or 0 for no legal
// approval; empty is the default.
func parseLegalApproval(s string) (int, error) {
	if s == "" {
		return defaultLegalApproval, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 4 {
		return 0, fmt.Errorf("CRISISDESK_LEGAL_APPROVAL %q: want a severity from 1 to 4, or 0 for none", s)
	}
	return n, nil
}

// publishTimeout bounds one request of the publishing client, so that a server that stops answering
// cannot hold a publication for ever; the composer bounds the whole attempt on top of it.
const publishTimeout = 30 * time.Second

// publishClient is the HTTP client statements are published with: every connection passes the same
// guard as the sources', so whoever may configure a source or a publishing account cannot make the
// server post (with credentials) to its own network unless private addresses are allowed.
func publishClient(allowPrivate bool) *http.Client {
	c := source.Guard{AllowPrivate: allowPrivate}.HTTPClient()
	c.Timeout = publishTimeout
	return c
}

// composer is the response composer as serve wires it.
type composer struct {
	svc      *statement.Service
	channels *statementChannels
	accounts *statement.Accounts
	st       store.Store
}

// newComposer builds the composer from the stored crisis plan: its conduct rules feed the linter and
// its templates are the ones offered. Statements are recorded on the incident timelines through
// incidents, and published through the configured sources, whose credentials key unseals, to public
// addresses only unless allowPrivate is set. plans, when not nil, is serve's look at the newest plan,
// which the linter's conduct rules follow.
func newComposer(ctx context.Context, st store.Store, incidents *incident.Service, key []byte, legalApproval int,
	allowPrivate bool, plans *channelSet, clk clock.Clock, logger *slog.Logger, reg prometheus.Registerer) (*composer, error) {
	if legalApproval < 0 || legalApproval > 4 {
		return nil, fmt.Errorf("statements: legal approval from severity %d: want 1 to 4, or 0 for none", legalApproval)
	}
	p, _, version, err := plan.Current(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("statements: crisis plan: %w", err)
	}
	scfg := statement.Config{Rules: statement.RulesFromPlan(*p), TemplateSource: statement.PlanTemplates(st), LegalUpTo: legalApproval}
	if plans != nil {
		// The conduct rules follow each newer plan without a restart (wire_plan_follow.go).
		conduct := &currentConduct{log: logger.With("component", "statement")}
		plans.follow(conduct.use)
		scfg.Linter = conduct.linter
	}
	svc, err := statement.New(st, incidents, clk, scfg, logger, reg)
	if err != nil {
		return nil, fmt.Errorf("statements: plan version %d: %w", version, err)
	}
	box, err := secret.NewBox(key)
	if err != nil {
		return nil, fmt.Errorf("statements: %w", err)
	}
	logger.Info("crisis plan loaded for the composer", "version", version, "templates", len(p.Templates))
	accounts := statement.NewAccounts(st, box, clk, source.Guard{AllowPrivate: allowPrivate})
	return &composer{svc: svc, channels: newStatementChannels(st, accounts, box, publishClient(allowPrivate), clk, logger),
		accounts: accounts, st: st}, nil
}

// legal tells whether a user may give the legal approval under the current plan, read at each call so
// that a change to the plan's legal team counts at once.
func (c *composer) legal(ctx context.Context, email string, admin bool) (bool, error) {
	p, _, _, err := plan.Current(ctx, c.st)
	if err != nil {
		return false, fmt.Errorf("statements: crisis plan: %w", err)
	}
	return statement.IsLegal(*p, email, admin), nil
}

// statementChannels are the channels the composer publishes to: every enabled Mastodon or X source
// whose stored credentials can post, every enabled publishing account (Bluesky), and a manual channel
// per platform.
//
// A Mastodon source publishes with its access token, which then needs the write:statuses scope; an X
// source with its token, which must be a user-context token with tweet.write (an app-only bearer token
// is refused by X and the attempt is recorded as failed). A Bluesky source listens on Jetstream
// without an account, so Bluesky publishes through a publishing account with an app password.
type statementChannels struct {
	sources  store.Sources
	accounts *statement.Accounts
	box      *secret.Box
	client   *http.Client
	clk      clock.Clock
	log      *slog.Logger
	// xlog remembers what the X publishers posted in this process. The composer's own record of each
	// attempt, written before the publisher is called, is what keeps a retry from posting twice
	// across restarts.
	xlog source.PublishLog

	// bsky keeps one publisher per Bluesky account, so its session is reused rather than created for
	// every statement; an account saved since is built afresh.
	mu   sync.Mutex
	bsky map[string]bskyPublisher
}

type bskyPublisher struct {
	updated time.Time
	pub     *bluesky.Publisher
}

// newStatementChannels returns the channels, publishing with client; nil is publishClient(false), which
// reaches public addresses only.
func newStatementChannels(st store.Sources, accounts *statement.Accounts, box *secret.Box, client *http.Client, clk clock.Clock, logger *slog.Logger) *statementChannels {
	if client == nil {
		client = publishClient(false)
	}
	return &statementChannels{sources: st, accounts: accounts, box: box, client: client, clk: clk,
		log: logger.With("component", "statement_channels"), xlog: source.NewMemoryPublishLog(), bsky: map[string]bskyPublisher{}}
}

var _ statement.Channels = (*statementChannels)(nil)

// Channels lists the publishing sources first, by name, then the manual channels.
func (c *statementChannels) Channels(ctx context.Context) ([]statement.Channel, error) {
	srcs, err := c.sources.Sources(ctx)
	if err != nil {
		return nil, fmt.Errorf("statement channels: %w", err)
	}
	var out []statement.Channel
	for _, src := range srcs {
		if !src.Enabled || (src.Kind != store.SourceMastodon && src.Kind != store.SourceX) {
			continue
		}
		ch, err := c.channel(src)
		if err != nil {
			// One source with bad settings must not hide the others; it is logged and left out.
			c.log.WarnContext(ctx, "source cannot publish", "source", src.ID, "err", err)
			continue
		}
		out = append(out, ch)
	}
	if c.accounts != nil {
		accs, err := c.accounts.Enabled(ctx)
		if err != nil {
			return nil, fmt.Errorf("statement channels: %w", err)
		}
		for _, a := range accs {
			pub, err := c.blueskyPublisher(a)
			if err != nil {
				c.log.WarnContext(ctx, "publishing account cannot publish", "account", a.ID, "err", err)
				continue
			}
			out = append(out, statement.Channel{ID: a.ID, Name: a.Name + " (@" + a.Handle + ")", Platform: respond.Bluesky, Publisher: pub})
		}
	}
	return append(out, statement.ManualChannels(respond.Platforms())...), nil
}

// blueskyPublisher returns the account's publisher, building it when the account is new or changed.
func (c *statementChannels) blueskyPublisher(a store.PublishAccount) (*bluesky.Publisher, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.bsky[a.ID]; ok && p.updated.Equal(a.UpdatedAt) {
		return p.pub, nil
	}
	pw, err := c.accounts.Password(a)
	if err != nil {
		return nil, err
	}
	pub, err := bluesky.NewPublisher(bluesky.PublisherConfig{PDS: a.Service, Identifier: a.Handle, AppPassword: pw.Reveal(),
		HTTPClient: c.client, Clock: c.clk})
	if err != nil {
		return nil, err
	}
	c.bsky[a.ID] = bskyPublisher{updated: a.UpdatedAt, pub: pub}
	return pub, nil
}

func (c *statementChannels) channel(src store.Source) (statement.Channel, error) {
	set, err := supervisor.ParseSettings(src.Settings)
	if err != nil {
		return statement.Channel{}, err
	}
	creds, err := supervisor.OpenCredentials(c.box, src.Credentials)
	if err != nil {
		return statement.Channel{}, err
	}
	if creds.Token.IsZero() {
		return statement.Channel{}, fmt.Errorf("source %s has no token", src.ID)
	}
	ch := statement.Channel{ID: src.ID, Name: src.Name}
	switch src.Kind {
	case store.SourceMastodon:
		pub, err := mastodon.NewPublisher(mastodon.PublisherConfig{BaseURL: set.URL, Token: creds.Token.Reveal(), Client: c.client})
		if err != nil {
			return statement.Channel{}, err
		}
		ch.Platform, ch.Publisher = respond.Mastodon, pub
	case store.SourceX:
		cl, err := x.NewClient(x.ClientConfig{BaseURL: set.URL, Token: creds.Token.Reveal(), HTTPClient: c.client, Clock: c.clk})
		if err != nil {
			return statement.Channel{}, err
		}
		pub, err := x.NewPublisher(cl, c.xlog)
		if err != nil {
			return statement.Channel{}, err
		}
		ch.Platform, ch.Publisher = respond.X, pub
	}
	return ch, nil
}
