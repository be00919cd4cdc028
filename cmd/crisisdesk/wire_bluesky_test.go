package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/incident"
	"github.com/crisisdesk/crisisdesk/internal/respond"
	"github.com/crisisdesk/crisisdesk/internal/secret"
	"github.com/crisisdesk/crisisdesk/internal/source"
	"github.com/crisisdesk/crisisdesk/internal/statement"
	"github.com/crisisdesk/crisisdesk/internal/statement/statementtest"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// TestBlueskyPublishing publishes an approved statement through a Bluesky publishing account against a
// loopback PDS: the app password is stored sealed and reaches only the PDS, an answer lost after the
// post was made fails the attempt, and the retry finds that post instead of making a second one.
func TestBlueskyPublishing(t *testing.T) {
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
	clk := clock.NewSim(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	accounts := statement.NewAccounts(st, box, clk, source.Guard{AllowPrivate: true}) // the PDS is on loopback

	if _, err := accounts.Create(ctx, statement.AccountInput{Name: "Gemeente", Handle: "not a handle", AppPassword: secret.New(password)}); err == nil {
		t.Fatal("an account with a bad handle was created")
	}
	acc, err := accounts.Create(ctx, statement.AccountInput{Name: "Gemeente", Handle: "@gemeente.bsky.social", Service: pds.URL() + "/",
		AppPassword: secret.New(password), Enabled: true})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	stored, err := st.PublishAccountByID(ctx, acc.ID)
	if err != nil || strings.Contains(stored.Credentials, password) || stored.Credentials == "" || stored.Handle != "gemeente.bsky.social" {
		t.Fatalf("stored account %+v, %v", stored, err)
	}
	// An update without a password keeps the stored one.
	if _, err := accounts.Update(ctx, acc.ID, statement.AccountInput{Name: "Gemeente Utrecht", Handle: "gemeente.bsky.social",
		Service: pds.URL(), Enabled: true}); err != nil {
		t.Fatalf("Update: %v", err)
	}

	chs := newStatementChannels(st, accounts, box, pds.Client(), clk, slog.New(slog.DiscardHandler))
	list, err := chs.Channels(ctx)
	if err != nil || len(list) == 0 || list[0].ID != acc.ID || list[0].Platform != respond.Bluesky || list[0].Manual() {
		t.Fatalf("channels %+v, %v", list, err)
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
	s, _, err := svc.Create(ctx, inc.ID, statement.Draft{Lang: "nl", Form: "jij", Core: "We weten dat inloggen niet lukt. Om 11:00 volgt een update op https://status.example.nl."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = svc.Submit(ctx, s.ID, s.Rev, anna); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if s, err = svc.Approve(ctx, s.ID, s.Rev, "", bram); err != nil || s.State != statement.StateApproved {
		t.Fatalf("Approve: %+v, %v", s, err)
	}

	pds.LoseNextAnswers(1)
	clk.Advance(time.Minute)
	res, err := svc.Publish(ctx, s.ID, chs, []string{acc.ID}, bram)
	if err != nil || len(res) != 1 || res[0].Err == nil || res[0].Publication.Status != store.PublicationFailed {
		t.Fatalf("publish with a lost answer: %+v, %v", res, err)
	}
	if len(pds.Posts()) != 1 {
		t.Fatalf("the PDS has %d posts after the lost answer, want 1", len(pds.Posts()))
	}
	// Meanwhile the statement goes out by hand on X, which saves it; the Bluesky retry comes later, and
	// the post's time, from which its record key is made, must not move with either.
	clk.Advance(5 * time.Minute)
	if _, err := svc.MarkPublished(ctx, s.ID, "manual:x", "https://x.com/gemeente/status/1", bram); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	res, err = svc.Publish(ctx, s.ID, chs, []string{acc.ID}, bram)
	if err != nil || len(res) != 1 || res[0].Err != nil || res[0].Publication.Status != store.PublicationPublished ||
		len(res[0].Publication.Links) != 1 || !strings.HasPrefix(res[0].Publication.Links[0], "https://bsky.app/profile/gemeente.bsky.social/post/") {
		t.Fatalf("retry: %+v, %v", res, err)
	}
	res, err = svc.Publish(ctx, s.ID, chs, []string{acc.ID}, bram)
	if err != nil || !res[0].Repeated {
		t.Fatalf("a third publish: %+v, %v", res, err)
	}
	if posts := pds.Posts(); len(posts) != 1 || !strings.Contains(posts[0], "inloggen") {
		t.Errorf("the PDS has posts %q, want the statement once", posts)
	}
	if n := pds.Sessions(); n != 1 {
		t.Errorf("%d sessions for one account, want the first reused", n)
	}

	// A wrong app password fails the attempt and names no secret.
	if _, err := accounts.Update(ctx, acc.ID, statement.AccountInput{Name: "Gemeente", Handle: "gemeente.bsky.social",
		Service: pds.URL(), AppPassword: secret.New("wrong-pass-word-xxxx"), Enabled: true}); err != nil {
		t.Fatal(err)
	}
	list, _ = chs.Channels(ctx)
	p2, _, err := svc.Create(ctx, inc.ID, statement.Draft{Lang: "nl", Form: "jij", Core: "Inloggen werkt weer."}, anna)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ = svc.Submit(ctx, p2.ID, p2.Rev, anna)
	p2, _ = svc.Approve(ctx, p2.ID, p2.Rev, "", bram)
	res, err = svc.Publish(ctx, p2.ID, chs, []string{list[0].ID}, bram)
	if err != nil || res[0].Err == nil || strings.Contains(res[0].Publication.Error, "wrong-pass") || len(pds.Posts()) != 1 {
		t.Errorf("publish with a wrong password: %+v, %v", res, err)
	}
}
