package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// TestStatementPublishingGuard: the client serve publishes with reaches a PDS on loopback only when
// private addresses are allowed; otherwise nothing reaches it, the attempt fails with a message that
// names neither address nor dial error, and the account could not have been saved in the first place.
func TestStatementPublishingGuard(t *testing.T) {
	ctx := t.Context()
	st, err := sqlite.Open(ctx, ":memory:", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := secret.NewBox([]byte(strings.Repeat("k", secret.KeySize)))
	if err != nil {
		t.Fatal(err)
	}
	const password = "abcd-efgh-ijkl-mnop"
	pds := statementtest.NewPDS("gemeente.bsky.social", "did:plc:gemeente7x2nq4ylb2cnl5m", password)
	t.Cleanup(pds.Close)
	clk := clock.NewSim(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	in := statement.AccountInput{Name: "Gemeente", Handle: "gemeente.bsky.social", Service: pds.URL(), AppPassword: secret.New(password), Enabled: true}
	if _, err := statement.NewAccounts(st, box, clk, source.Guard{}).Create(ctx, in); err == nil {
		t.Fatal("an account on a loopback server was saved without private addresses allowed")
	}
	accounts := statement.NewAccounts(st, box, clk, source.Guard{AllowPrivate: true})
	acc, err := accounts.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if c := publishClient(false); c.Timeout != publishTimeout || c.Transport == nil {
		t.Fatalf("publish client: timeout %s, transport %v", c.Timeout, c.Transport)
	}

	incs, err := incident.New(st, clk, incident.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := statement.New(st, incs, clk, statement.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := incs.Declare(ctx, incident.Declaration{Title: "Storing", Lang: "nl", Severity: incident.SeverityMedium, Author: "lead@example.nl"})
	if err != nil {
		t.Fatal(err)
	}
	anna, bram := statement.Actor{Email: "anna@example.nl"}, statement.Actor{Email: "bram@example.nl"}
	s, _, err := svc.Create(ctx, inc.ID, statement.Draft{Lang: "nl", Form: "jij", Core: "We weten dat inloggen niet lukt. Om 11:00 volgt een update."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = svc.Submit(ctx, s.ID, s.Rev, anna); err != nil {
		t.Fatal(err)
	}
	if s, err = svc.Approve(ctx, s.ID, s.Rev, "", bram); err != nil {
		t.Fatal(err)
	}

	log := slog.New(slog.DiscardHandler)
	res, err := svc.Publish(ctx, s.ID, newStatementChannels(st, accounts, box, publishClient(false), clk, log), []string{acc.ID}, bram)
	if err != nil || len(res) != 1 || res[0].Err == nil || res[0].Publication.Status != store.PublicationFailed {
		t.Fatalf("publish through the guard to loopback: %+v, %v", res, err)
	}
	if pds.Sessions() != 0 || len(pds.Posts()) != 0 {
		t.Fatalf("the loopback PDS was reached: %d sessions, %d posts", pds.Sessions(), len(pds.Posts()))
	}
	if msg := statement.FailureMessage(res[0].Err, "nl"); strings.Contains(msg, "127.0.0.1") || !strings.Contains(msg, source.EnvAllowPrivate) ||
		strings.Contains(res[0].Publication.Error, "127.0.0.1") {
		t.Errorf("failure shown as %q, stored as %q", msg, res[0].Publication.Error)
	}

	res, err = svc.Publish(ctx, s.ID, newStatementChannels(st, accounts, box, publishClient(true), clk, log), []string{acc.ID}, bram)
	if err != nil || len(res) != 1 || res[0].Err != nil || res[0].Publication.Status != store.PublicationPublished || len(pds.Posts()) != 1 {
		t.Fatalf("publish with private addresses allowed: %+v, %v", res, err)
	}
}
