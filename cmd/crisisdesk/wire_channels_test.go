package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/clock"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/notify/notifytest"
	"github.com/crisisdesk/crisisdesk/internal/plan"
	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/sqlite"
)

// countingVersions counts how often the newest plan is read.
type countingVersions struct {
	plan.Versions
	reads int
}

func (c *countingVersions) LatestPlan(ctx context.Context) (store.PlanVersion, error) {
	c.reads++
	return c.Versions.LatestPlan(ctx)
}

// TestChannelSetFollowsThePlan: the channels are rebuilt when a newer plan is stored, looked for at
// most once per planPoll of the clock; a stored version that no longer reads as a plan is reported
// once and leaves the channels as they were.
func TestChannelSetFollowsThePlan(t *testing.T) {
	t.Setenv("CRISISDESK_SMTP_PASSWORD", "")
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crisisdesk.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := t.Context()
	vs := &countingVersions{Versions: st}
	clk := clock.NewSim(alertStart)
	inapp := notify.IntegrationFunc(func(context.Context, notify.Message) (bool, error) { return false, nil })
	cs := newChannelSet(vs, inapp, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var handed []map[string]notify.Integration
	cs.onChange = func(m map[string]notify.Integration) { handed = append(handed, m) }
	def, err := plan.Default()
	if err != nil {
		t.Fatal(err)
	}
	cs.use(def, 0)
	if cs.channels()["email"] != nil || len(handed) != 1 {
		t.Fatalf("start: email %v, handed %d times", cs.channels()["email"], len(handed))
	}

	if err := cs.poll(ctx); err != nil {
		t.Fatal(err)
	}
	srv := notifytest.NewSMTPServer(t, notifytest.SMTPOptions{})
	savePlan(t, st, smtpPlan(t, srv, nil))
	reads := vs.reads
	for range 5 {
		clk.Advance(time.Second)
		if err := cs.poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if vs.reads != reads || cs.channels()["email"] != nil {
		t.Fatalf("within planPoll: %d more reads, email %v; want none and none", vs.reads-reads, cs.channels()["email"])
	}
	clk.Advance(planPoll)
	if err := cs.poll(ctx); err != nil {
		t.Fatal(err)
	}
	if cs.channels()["email"] == nil || len(handed) != 2 {
		t.Fatalf("after planPoll: email %v, handed %d times; want built and handed to the worker", cs.channels()["email"], len(handed))
	}

	// A version stored by hand that no longer parses.
	if err := st.SavePlan(ctx, &store.PlanVersion{YAML: "organisation: [", Author: "test", CreatedAt: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(planPoll)
	if err := cs.poll(ctx); err == nil {
		t.Error("an unreadable newer plan was not reported")
	}
	clk.Advance(planPoll)
	if err := cs.poll(ctx); err != nil {
		t.Errorf("the unreadable plan was reported twice: %v", err)
	}
	if cs.channels()["email"] == nil || len(handed) != 2 {
		t.Errorf("the channels changed on an unreadable plan: email %v, handed %d times", cs.channels()["email"], len(handed))
	}
}
