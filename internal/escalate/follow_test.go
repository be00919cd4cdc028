package escalate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// updated is an update of al-1 with a new summary and severity.
func updated(summary string, sev alert.Severity) alert.Event {
	ev := event(alert.Updated)
	ev.Severity, ev.Summary = sev, summary
	ev.Explanation = &alert.Explanation{Text: map[string]string{"nl": "NL: " + summary, "en": summary}}
	return ev
}

// TestUpdatesFollowThePages: an update reaches those already paged at most once per update interval,
// or at once when the severity rises, in the thread of their first page; a room hears it once;
// nothing is sent twice or after the resolution, which tells the newest state.
func TestUpdatesFollowThePages(t *testing.T) {
	p := Policy{ID: "crisis", Name: "crisis", Rooms: []string{"slack"}, Steps: []Step{
		{Recipients: []Recipient{anna, bram}, Channels: []string{"email", "slack"}, Wait: 30 * time.Minute},
	}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	ctx := t.Context()
	at := func(d time.Duration, ev alert.Event) {
		t.Helper()
		r.clock.Set(t0.Add(d))
		if err := r.engine.Handle(ctx, ev); err != nil {
			t.Fatalf("%v %s: %v", d, ev.Status, err)
		}
	}
	at(0, event(alert.Firing))
	at(time.Minute, updated("200 posts", alert.High))       // update 1
	at(3*time.Minute, updated("250 posts", alert.High))     // within the interval: held back
	at(4*time.Minute, updated("300 posts", alert.Critical)) // the severity rose: update 2 at once
	at(5*time.Minute, updated("300 posts", alert.Critical)) // the same again, as after a crash
	r.restart()
	at(8*time.Minute, updated("350 posts", alert.Critical)) // a restart does not reset the interval
	at(9*time.Minute, updated("400 posts", alert.Critical)) // update 3, five minutes after update 2
	at(10*time.Minute, event(alert.Resolved))
	at(20*time.Minute, updated("late", alert.Critical)) // after the resolution: nothing
	want := []string{
		// Bram has no slack contact; the slack room hears updates once, not once per person.
		"0s s0 anna email", "0s s0 anna slack", "0s s0 bram email",
		"10m0s s-1  slack", "10m0s s-1 anna email", "10m0s s-1 bram email",
		"1m0s s-2  slack", "1m0s s-2 anna email", "1m0s s-2 bram email",
		"4m0s s-3  slack", "4m0s s-3 anna email", "4m0s s-3 bram email",
		"9m0s s-4  slack", "9m0s s-4 anna email", "9m0s s-4 bram email",
	}
	if got := r.fired(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("notifications:\n got %q\nwant %q", got, want)
	}

	ns, err := r.store.NotificationsByAlert(ctx, "al-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.Step != UpdateStep(2) && n.Step != ResolvedStep {
			continue
		}
		var m notify.Message
		if err := json.Unmarshal(n.Payload, &m); err != nil {
			t.Fatal(err)
		}
		wantThread := notify.IdempotencyKey("al-1", 0, n.Recipient, n.Channel)
		if n.Recipient == "" {
			wantThread = notify.IdempotencyKey("al-1", 0, "anna", n.Channel)
		}
		wantSummary := map[int]string{UpdateStep(2): "NL: 300 posts", ResolvedStep: "NL: 400 posts"}[n.Step]
		switch {
		case n.Step == UpdateStep(2) && (m.Status != alert.Updated || m.Update != 2):
			t.Errorf("update to %q on %s: %+v", n.Recipient, n.Channel, m)
		case n.Step == ResolvedStep && m.Status != alert.Resolved:
			t.Errorf("resolution to %q on %s: %+v", n.Recipient, n.Channel, m)
		case m.Severity != "critical" || m.AckLink != "":
			t.Errorf("notice %d to %q on %s: severity %q, ack link %q; want critical and none", n.Step, n.Recipient, n.Channel, m.Severity, m.AckLink)
		case m.InReplyTo != wantThread:
			t.Errorf("notice %d to %q on %s replies to %q, want the first page %q", n.Step, n.Recipient, n.Channel, m.InReplyTo, wantThread)
		case n.Recipient == "anna" && m.Summary != wantSummary:
			t.Errorf("anna's notice %d says %q, want %q", n.Step, m.Summary, wantSummary)
		case n.Recipient == "" && (m.To != "" || m.Recipient != ""):
			t.Errorf("the room's notice names a person: %+v", m)
		}
	}
}

// TestUpdateWithoutPagesSendsNothing: an alert that paged nobody gets no updates either.
func TestUpdateWithoutPagesSendsNothing(t *testing.T) {
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return Policy{}, false }))
	r.play([]act{{0, "fire", ""}, {6 * time.Minute, "update", ""}, {7 * time.Minute, "resolve", ""}}, 10*time.Minute)
	if got := r.fired(); len(got) != 0 {
		t.Errorf("notifications %q, want none", got)
	}
}

func TestUpdateStepRoundTrip(t *testing.T) {
	for seq := 1; seq <= 5; seq++ {
		if got, ok := UpdateSeq(UpdateStep(seq)); !ok || got != seq {
			t.Errorf("UpdateSeq(UpdateStep(%d)) = %d, %v", seq, got, ok)
		}
	}
	for _, step := range []int{ResolvedStep, 0, 3} {
		if _, ok := UpdateSeq(step); ok {
			t.Errorf("UpdateSeq(%d) says it is an update", step)
		}
	}
}

// crashingEnqueue fails the enqueue of follow-up notices after the first one, once, as a process
// killed halfway through an update would.
type crashingEnqueue struct {
	Outbox
	seen, crashAfter int
}

func (c *crashingEnqueue) EnqueueNotification(ctx context.Context, n *store.Notification) (bool, error) {
	if n.Step < ResolvedStep {
		c.seen++
		if c.seen == c.crashAfter+1 {
			return false, errors.New("killed halfway through the update")
		}
	}
	return c.Outbox.EnqueueNotification(ctx, n)
}

// TestUpdateInterruptedByACrashCompletesOnce: an update cut short after one of its notices is handled
// again after the restart; the rest are added and nobody gets the update twice.
func TestUpdateInterruptedByACrashCompletesOnce(t *testing.T) {
	p := Policy{Name: "p", Steps: []Step{{Recipients: []Recipient{anna, bram}, Channels: []string{"email"}, Wait: time.Hour}}}
	r := newRig(t, RouterFunc(func(alert.Event) (Policy, bool) { return p, true }))
	ctx := t.Context()
	if err := r.engine.Handle(ctx, event(alert.Firing)); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(6 * time.Minute)
	crashing, err := New(testConfig(), &crashingEnqueue{Outbox: r.store, crashAfter: 1}, r.router, nil, r.clock, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := crashing.Handle(ctx, updated("200 posts", alert.High)); err == nil {
		t.Fatal("the simulated crash did not surface")
	}
	r.restart()
	r.clock.Advance(time.Second)
	if err := r.engine.Handle(ctx, updated("200 posts", alert.High)); err != nil {
		t.Fatal(err)
	}
	want := []string{"0s s0 anna email", "0s s0 bram email", "6m0s s-2 anna email", "6m1s s-2 bram email"}
	if got := r.fired(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notifications:\n got %q\nwant %q", got, want)
	}
}
