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

// UpdateStep is the step number of an alert's update notice number seq (1, 2, …): -2, -3, … The
// outbox keys every notification by (alert, step, recipient, channel), so an update notice is stored,
// and sent, at most once per recipient and channel, a crash and a replayed event included.
func UpdateStep(seq int) int { return ResolvedStep - seq }

// UpdateSeq is the inverse of UpdateStep; false for a step that is not an update notice.
func UpdateSeq(step int) (int, bool) {
	if step >= ResolvedStep {
		return 0, false
	}
	return ResolvedStep - step, true
}

// follow enqueues the notice that follows the pages of an alert, status updated or resolved, once for
// each recipient and channel that was paged, on the channels they were paged on; on a room channel it
// is said once. Every notice names the first page to its target, so e-mail threads it there.
//
// Updates are numbered 1, 2, … A new number is taken when the last update is at least UpdateInterval
// old, or when the severity rose above the last update's (which can happen three times at most).
// Otherwise the update keeps the last number, whose outbox keys already exist: nothing is sent,
// except to a target that the last update missed (paged since, or not reached before a crash), which
// gets it now. That is what keeps a growing crisis from sending more than one update per interval.
// After the resolution no update is sent.
func (e *Engine) follow(ctx context.Context, alertID, status string, ev *alert.Event, now time.Time) error {
	ns, err := e.outbox.NotificationsByAlert(ctx, alertID)
	if err != nil {
		return fmt.Errorf("escalate: alert %s %s: %w", alertID, status, err)
	}
	rooms, err := e.rooms(ctx, alertID)
	if err != nil {
		return err
	}
	type target struct{ recipient, channel string }
	keyOf := func(n store.Notification) target {
		if rooms[n.Channel] {
			return target{"", n.Channel}
		}
		return target{n.Recipient, n.Channel}
	}
	var (
		targets []target
		page    = map[target]store.Notification{} // the first page to each target
		latest  = map[target]store.Notification{} // the newest update to each target
		lastSeq int
		lastAt  time.Time
		lastSev alert.Severity = -1
	)
	for _, n := range ns {
		switch seq, isUpdate := UpdateSeq(n.Step); {
		case n.Step == ResolvedStep:
			if status == alert.Updated {
				return nil
			}
		case isUpdate:
			t := keyOf(n)
			if l, ok := latest[t]; !ok || n.Step < l.Step {
				latest[t] = n
			}
			if seq > lastSeq {
				lastSeq, lastAt, lastSev = seq, n.CreatedAt, -1
			}
			if seq == lastSeq {
				var m notify.Message
				if json.Unmarshal(n.Payload, &m) == nil {
					if sev, err := alert.ParseSeverity(m.Severity); err == nil {
						lastSev = max(lastSev, sev)
					}
				}
				if n.CreatedAt.Before(lastAt) {
					lastAt = n.CreatedAt
				}
			}
		case n.State != store.NotificationDead:
			// Pages come in step order. Nobody needs to hear more of an alert they never heard of.
			t := keyOf(n)
			if _, ok := page[t]; !ok {
				page[t] = n
				targets = append(targets, t)
			}
		}
	}
	if len(targets) == 0 {
		return nil
	}
	step, seq := ResolvedStep, 0
	if status == alert.Updated {
		seq = lastSeq
		if lastSeq == 0 || now.Sub(lastAt) >= e.cfg.UpdateInterval || ev.Severity > lastSev {
			seq = lastSeq + 1
		}
		step = UpdateStep(seq)
	}
	enqueued := 0
	for _, t := range targets {
		p := page[t]
		base := p
		if l, ok := latest[t]; ok && status == alert.Resolved {
			// The resolution says how the alert stood last, as the newest update told it.
			base = l
		}
		var m notify.Message
		if err := json.Unmarshal(base.Payload, &m); err != nil {
			return fmt.Errorf("escalate: alert %s %s: notification %d: %w", alertID, status, base.ID, err)
		}
		m.Status, m.Step, m.At, m.Update = status, step, now, seq
		m.AckLink, m.AckExpires = "", time.Time{}
		m.InReplyTo = notify.IdempotencyKey(p.AlertID, p.Step, p.Recipient, p.Channel)
		if t.recipient == "" {
			m.Recipient, m.To = "", ""
		}
		if ev != nil {
			m.Severity, m.Summary = ev.Severity.String(), ev.Summary
			if ev.Explanation != nil && ev.Explanation.Text[m.Lang] != "" {
				m.Summary = ev.Explanation.Text[m.Lang]
			}
		}
		payload, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("escalate: alert %s %s: %w", alertID, status, err)
		}
		fn := &store.Notification{AlertID: alertID, Step: step, Recipient: t.recipient, Channel: t.channel,
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
