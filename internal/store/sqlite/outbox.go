package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

var _ store.Outbox = (*Store)(nil)

const notificationColumns = `id, alert_id, step, recipient, channel, payload, state, attempts, next_at,
	lease_owner, lease_until, last_error, created_at, updated_at, delivered_at`

// EnqueueNotification stores n as pending unless its key is stored, and sets n.ID either way.
func (s *Store) EnqueueNotification(ctx context.Context, n *store.Notification) (bool, error) {
	if n.Payload == nil {
		// The column is NOT NULL; an empty payload is still a payload.
		n.Payload = []byte{}
	}
	wrap := func(err error) error {
		return fmt.Errorf("store: enqueue notification %s/%d/%s/%s: %w", n.AlertID, n.Step, n.Recipient, n.Channel, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, wrap(mapError(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO notifications (alert_id, step, recipient, channel, payload, state,
		attempts, next_at, lease_owner, lease_until, last_error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', ?, '', ?, ?)
		ON CONFLICT (alert_id, step, recipient, channel) DO NOTHING`,
		n.AlertID, n.Step, n.Recipient, n.Channel, n.Payload, store.NotificationPending,
		store.UnixNano(n.NextAt), store.UnixNano(time.Time{}), store.UnixNano(n.CreatedAt), store.UnixNano(n.CreatedAt))
	if err != nil {
		return false, wrap(mapError(err))
	}
	added, err := res.RowsAffected()
	if err != nil {
		return false, wrap(mapError(err))
	}
	if err := tx.QueryRowContext(ctx, `SELECT id FROM notifications WHERE alert_id = ? AND step = ? AND recipient = ? AND channel = ?`,
		n.AlertID, n.Step, n.Recipient, n.Channel).Scan(&n.ID); err != nil {
		return false, wrap(mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return false, wrap(mapError(err))
	}
	return added == 1, nil
}

// ClaimNotifications marks due notifications as sending under a lease. One UPDATE … RETURNING claims
// them, so two workers on the same file never claim the same row.
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]store.Notification, error) {
	if limit <= 0 {
		limit = 100
	}
	t := store.UnixNano(now)
	rows, err := s.write.QueryContext(ctx, `UPDATE notifications
		SET state = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
		WHERE id IN (SELECT id FROM notifications
			WHERE (state IN ('pending', 'failed') AND next_at <= ?) OR (state = 'sending' AND lease_until <= ?)
			ORDER BY next_at, id LIMIT ?)
		RETURNING `+notificationColumns,
		owner, store.UnixNano(now.Add(lease)), t, t, t, limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim notifications: %w", mapError(err))
	}
	ns, err := scanNotifications(rows)
	if err != nil {
		return nil, fmt.Errorf("store: claim notifications: %w", err)
	}
	// RETURNING gives rows in no particular order.
	slices.SortFunc(ns, func(a, b store.Notification) int {
		if c := a.NextAt.Compare(b.NextAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return ns, nil
}

// FinishNotification records the result of an attempt on a notification owner still holds.
func (s *Store) FinishNotification(ctx context.Context, id int64, owner string, r store.NotificationResult) error {
	switch r.State {
	case store.NotificationDelivered, store.NotificationFailed, store.NotificationDead:
	default:
		return fmt.Errorf("store: finish notification %d: state %q is not a result", id, r.State)
	}
	var delivered sql.NullInt64
	if r.State == store.NotificationDelivered {
		delivered = sql.NullInt64{Int64: store.UnixNano(r.At), Valid: true}
	}
	res, err := s.write.ExecContext(ctx, `UPDATE notifications
		SET state = ?, next_at = ?, last_error = ?, updated_at = ?, delivered_at = ?, lease_owner = '', lease_until = ?
		WHERE id = ? AND state = 'sending' AND lease_owner = ?`,
		r.State, store.UnixNano(r.NextAt), r.Error, store.UnixNano(r.At), delivered, store.UnixNano(time.Time{}), id, owner)
	if err != nil {
		return fmt.Errorf("store: finish notification %d: %w", id, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: finish notification %d: lease of %q lost: %w", id, owner, err)
	}
	return nil
}

// DeadNotifications returns the dead letters, most recent first.
func (s *Store) DeadNotifications(ctx context.Context, limit int) ([]store.Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT ?`, store.SearchLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: dead notifications: %w", mapError(err))
	}
	ns, err := scanNotifications(rows)
	if err != nil {
		return nil, fmt.Errorf("store: dead notifications: %w", err)
	}
	return ns, nil
}

// NotificationsByAlert returns the notifications of one alert.
func (s *Store) NotificationsByAlert(ctx context.Context, alertID string) ([]store.Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE alert_id = ? ORDER BY step, recipient, channel`, alertID)
	if err != nil {
		return nil, fmt.Errorf("store: notifications of alert %s: %w", alertID, mapError(err))
	}
	ns, err := scanNotifications(rows)
	if err != nil {
		return nil, fmt.Errorf("store: notifications of alert %s: %w", alertID, err)
	}
	return ns, nil
}

func scanNotifications(rows *sql.Rows) ([]store.Notification, error) {
	defer rows.Close()
	ns := []store.Notification{}
	for rows.Next() {
		var n store.Notification
		var next, until, created, updated int64
		var delivered sql.NullInt64
		if err := rows.Scan(&n.ID, &n.AlertID, &n.Step, &n.Recipient, &n.Channel, &n.Payload, &n.State, &n.Attempts,
			&next, &n.LeaseOwner, &until, &n.LastError, &created, &updated, &delivered); err != nil {
			return nil, mapError(err)
		}
		n.NextAt, n.LeaseUntil = store.FromUnixNano(next), store.FromUnixNano(until)
		n.CreatedAt, n.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
		if delivered.Valid {
			n.DeliveredAt = store.FromUnixNano(delivered.Int64)
		}
		ns = append(ns, n)
	}
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	return ns, nil
}

// StartEscalation stores e unless the alert already has an escalation for e's policy.
func (s *Store) StartEscalation(ctx context.Context, e store.Escalation) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO escalations (alert_id, policy_key, policy, state, next_seq, next_at, started_at, updated_at, stopped_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id, policy_key) DO NOTHING`,
		e.AlertID, e.PolicyKey, e.Policy, e.State, e.NextSeq, store.UnixNano(e.NextAt), store.UnixNano(e.StartedAt),
		store.UnixNano(e.StartedAt), e.StoppedBy)
	if err != nil {
		return false, fmt.Errorf("store: start escalation of alert %s: %w", e.AlertID, mapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: start escalation of alert %s: %w", e.AlertID, mapError(err))
	}
	return n == 1, nil
}

const escalationColumns = `alert_id, policy_key, policy, state, next_seq, next_at, started_at, updated_at, stopped_by`

// EscalationByAlert returns the alert's first escalation (earliest started, then by policy key), or
// store.ErrNotFound.
func (s *Store) EscalationByAlert(ctx context.Context, alertID string) (store.Escalation, error) {
	e, err := scanEscalation(s.read.QueryRowContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE alert_id = ?
		ORDER BY started_at, policy_key LIMIT 1`, alertID))
	if err != nil {
		return store.Escalation{}, fmt.Errorf("store: escalation of alert %s: %w", alertID, mapError(err))
	}
	return e, nil
}

// EscalationsByAlert returns every escalation of an alert, one per policy, earliest started first.
func (s *Store) EscalationsByAlert(ctx context.Context, alertID string) ([]store.Escalation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+escalationColumns+` FROM escalations WHERE alert_id = ?
		ORDER BY started_at, policy_key`, alertID)
	if err != nil {
		return nil, fmt.Errorf("store: escalations of alert %s: %w", alertID, mapError(err))
	}
	defer rows.Close()
	es := []store.Escalation{}
	for rows.Next() {
		e, err := scanEscalation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: escalations of alert %s: %w", alertID, mapError(err))
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: escalations of alert %s: %w", alertID, mapError(err))
	}
	return es, nil
}

// DueEscalations returns active escalations due at now, earliest first.
func (s *Store) DueEscalations(ctx context.Context, now time.Time, limit int) ([]store.Escalation, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+escalationColumns+` FROM escalations
		WHERE state = 'active' AND next_at <= ? ORDER BY next_at, alert_id, policy_key LIMIT ?`, store.UnixNano(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due escalations: %w", mapError(err))
	}
	defer rows.Close()
	es := []store.Escalation{}
	for rows.Next() {
		e, err := scanEscalation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: due escalations: %w", mapError(err))
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due escalations: %w", mapError(err))
	}
	return es, nil
}

// AdvanceEscalation moves an active escalation from step fromSeq to toSeq.
func (s *Store) AdvanceEscalation(ctx context.Context, alertID, policyKey string, fromSeq, toSeq int, nextAt time.Time, state string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE escalations SET next_seq = ?, next_at = ?, state = ?, updated_at = ?
		WHERE alert_id = ? AND policy_key = ? AND state = 'active' AND next_seq = ?`,
		toSeq, store.UnixNano(nextAt), state, store.UnixNano(at), alertID, policyKey, fromSeq)
	if err != nil {
		return fmt.Errorf("store: advance escalation of alert %s: %w", alertID, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: advance escalation of alert %s from step %d: %w", alertID, fromSeq, err)
	}
	return nil
}

// StopEscalation ends every active escalation of the alert.
func (s *Store) StopEscalation(ctx context.Context, alertID, state, by string, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE escalations SET state = ?, stopped_by = ?, updated_at = ?
		WHERE alert_id = ? AND state = 'active'`, state, by, store.UnixNano(at), alertID)
	if err != nil {
		return fmt.Errorf("store: stop escalation of alert %s: %w", alertID, mapError(err))
	}
	if err := oneRow(res); err != nil {
		return fmt.Errorf("store: stop escalation of alert %s: %w", alertID, err)
	}
	return nil
}

// RecordAck stores an acknowledgement; a second one by the same recipient is store.ErrAlreadyExists.
func (s *Store) RecordAck(ctx context.Context, a store.Ack) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO acks (alert_id, recipient, acked_by, acked_at) VALUES (?, ?, ?, ?)`,
		a.AlertID, a.Recipient, a.By, store.UnixNano(a.At))
	if err != nil {
		return fmt.Errorf("store: record ack of alert %s by %s: %w", a.AlertID, a.Recipient, mapError(err))
	}
	return nil
}

// AcksByAlert returns the acknowledgements of an alert, earliest first.
func (s *Store) AcksByAlert(ctx context.Context, alertID string) ([]store.Ack, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT alert_id, recipient, acked_by, acked_at FROM acks
		WHERE alert_id = ? ORDER BY acked_at, recipient`, alertID)
	if err != nil {
		return nil, fmt.Errorf("store: acks of alert %s: %w", alertID, mapError(err))
	}
	defer rows.Close()
	as := []store.Ack{}
	for rows.Next() {
		var a store.Ack
		var at int64
		if err := rows.Scan(&a.AlertID, &a.Recipient, &a.By, &at); err != nil {
			return nil, fmt.Errorf("store: acks of alert %s: %w", alertID, mapError(err))
		}
		a.At = store.FromUnixNano(at)
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: acks of alert %s: %w", alertID, mapError(err))
	}
	return as, nil
}

func scanEscalation(row scanner) (store.Escalation, error) {
	var e store.Escalation
	var next, started, updated int64
	if err := row.Scan(&e.AlertID, &e.PolicyKey, &e.Policy, &e.State, &e.NextSeq, &next, &started, &updated, &e.StoppedBy); err != nil {
		return store.Escalation{}, err
	}
	e.NextAt, e.StartedAt, e.UpdatedAt = store.FromUnixNano(next), store.FromUnixNano(started), store.FromUnixNano(updated)
	return e, nil
}
