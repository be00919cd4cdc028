package escalate

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/alert"
	"github.com/crisisdesk/crisisdesk/internal/notify"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

// ResolvedStep is the step number of the resolution notice, which follows the steps of an escalation
// and is sent once per recipient and channel.
const ResolvedStep = -1

// UpdateStep is the step number of an alert's update notice number seq (0, 1, …): -2, -3, … The
// outbox keys every notification by (alert, step, recipient, channel), so an update notice is stored,
// and sent, at most once per recipient and channel, a crash and a replayed event included.
func UpdateStep(seq int) int { return -2 - seq }

// UpdateSeq is the inverse of UpdateStep; false for a step that is not an update notice.
func UpdateSeq(step int) (int, bool) {
	if step > ResolvedStep-1 {
		return 0, false
	}
	return -2 - step, true
}

// follow enqueues the notice that follows the pages of an alert, status updated or resolved, once for
// each recipient and channel that was paged, on the channels they were paged on; on a room channel it
// is said once. Every notice names the first page to its target, so e-mail threads it there.
//
// An update's number is how many UpdateIntervals have passed since the first page. Updates that fall
// in one interval share a number, and so an outbox key: the first is sent, later ones are not, which
// is what keeps a growing crisis from sending more than one update per interval. After the
// resolution no update is sent.
func (e *Engine) follow(ctx context.Context, alertID, status string, ev *alert.Event, now time.Time) error {
	ns, err := e.outbox.NotificationsByAlert(ctx, alertID)
	if err != nil {
		return fmt.Errorf("escalate: alert %s %s: %w", alertID, status, err)
	}
	var first time.Time
	for _, n := range ns {
		if n.Step == ResolvedStep && status == alert.Updated {
			return nil
		}
		if n.Step >= 0 && (first.IsZero() || n.CreatedAt.Before(first)) {
			first = n.CreatedAt
		}
	}
	if first.IsZero() {
		return nil // nobody was paged, so nobody needs a follow-up
	}
	step, seq := ResolvedStep, 0
	if status == alert.Updated {
		seq = int(max(now.Sub(first), 0) / e.cfg.UpdateInterval)
		step = UpdateStep(seq)
	}
	rooms, err := e.rooms(ctx, alertID)
	if err != nil {
		return err
	}
	type target struct{ recipient, channel string }
	done := map[target]bool{}
	enqueued := 0
	// Pages come in step order, so the first one seen for a target is the one its thread starts at.
	for _, n := range ns {
		if n.Step < 0 || n.State == store.NotificationDead {
			// Nobody needs to hear more of an alert they never heard of.
			continue
		}
		t := target{n.Recipient, n.Channel}
		if rooms[n.Channel] {
			t.recipient = ""
		}
		if done[t] {
			continue
		}
		done[t] = true
		var m notify.Message
		if err := json.Unmarshal(n.Payload, &m); err != nil {
			return fmt.Errorf("escalate: alert %s %s: notification %d: %w", alertID, status, n.ID, err)
		}
		m.Status, m.Step, m.At = status, step, now
		m.AckLink, m.AckExpires = "", time.Time{}
		m.InReplyTo = notify.IdempotencyKey(n.AlertID, n.Step, n.Recipient, n.Channel)
		if t.recipient == "" {
			m.Recipient, m.To = "", ""
		}
		if ev != nil {
			m.Severity, m.Summary, m.Update = ev.Severity.String(), ev.Summary, seq
			if ev.Explanation != nil && ev.Explanation.Text[m.Lang] != "" {
				m.Summary = ev.Explanation.Text[m.Lang]
			}
		}
		payload, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("escalate: alert %s %s: %w", alertID, status, err)
		}
		fn := &store.Notification{AlertID: alertID, Step: step, Recipient: t.recipient, Channel: n.Channel,
			Payload: payload, NextAt: now, CreatedAt: now}
		created, err := e.outbox.EnqueueNotification(ctx, fn)
		if err != nil {
			return fmt.Errorf("escalate: alert %s %s: %w", alertID, status, err)
		}
		if created {
			enqueued++
		}
	}
	if enqueued > 0 {
		e.logger.InfoContext(ctx, "follow-up notices queued", "alert", alertID, "status", status, "step", step, "notices", enqueued)
		if e.waker != nil {
			e.waker.Wake()
		}
	}
	return nil
}

// rooms returns the room channels of every policy escalating the alert.
func (e *Engine) rooms(ctx context.Context, alertID string) (map[string]bool, error) {
	es, err := e.outbox.EscalationsByAlert(ctx, alertID)
	if err != nil {
		return nil, fmt.Errorf("escalate: alert %s: %w", alertID, err)
	}
	rooms := map[string]bool{}
	for _, esc := range es {
		var rec record
		if err := json.Unmarshal(esc.Policy, &rec); err != nil {
			return nil, fmt.Errorf("escalate: alert %s: stored policy: %w", alertID, err)
		}
		for _, r := range rec.Policy.Rooms {
			rooms[r] = true
		}
	}
	return rooms, nil
}
