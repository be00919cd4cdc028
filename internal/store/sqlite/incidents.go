package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const incidentColumns = `id, title, lang, severity, status, roles, alerts, crisis_type, intensifiers, scenario,
	detected_at, declared_at, acknowledged_at, first_response_at, last_update_at, resolved_at, created_by, version`

// CreateIncident stores inc and its first timeline entries in one transaction.
func (s *Store) CreateIncident(ctx context.Context, inc *store.Incident, timeline []*store.TimelineEntry) error {
	roles, alerts, intens, err := incidentJSON(inc)
	if err != nil {
		return fmt.Errorf("store: create incident %q: %w", inc.Title, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create incident %q: %w", inc.Title, mapError(err))
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO incidents (title, lang, severity, status, roles, alerts,
		crisis_type, intensifiers, scenario, detected_at, declared_at, acknowledged_at, first_response_at,
		last_update_at, resolved_at, created_by, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		inc.Title, inc.Lang, inc.Severity, inc.Status, roles, alerts, inc.CrisisType, intens, inc.Scenario,
		store.UnixNano(inc.DetectedAt), store.UnixNano(inc.DeclaredAt), store.UnixNano(inc.AcknowledgedAt),
		store.UnixNano(inc.FirstResponseAt), store.UnixNano(inc.LastUpdateAt), store.UnixNano(inc.ResolvedAt),
		inc.CreatedBy).Scan(&id)
	if err != nil {
		return fmt.Errorf("store: create incident %q: %w", inc.Title, mapError(err))
	}
	ids, err := appendTimeline(ctx, tx, id, timeline)
	if err != nil {
		return fmt.Errorf("store: create incident %q: %w", inc.Title, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create incident %q: commit: %w", inc.Title, mapError(err))
	}
	inc.ID, inc.Version = id, 1
	setTimelineIDs(timeline, id, ids)
	return nil
}

func incidentJSON(inc *store.Incident) (roles, alerts, intens string, err error) {
	r := inc.Roles
	if r == nil {
		r = map[string]string{}
	}
	b1, err := json.Marshal(r)
	if err != nil {
		return "", "", "", err
	}
	b2, err := json.Marshal(nonNil(inc.Alerts))
	if err != nil {
		return "", "", "", err
	}
	b3, err := json.Marshal(nonNil(inc.Intensifiers))
	if err != nil {
		return "", "", "", err
	}
	return string(b1), string(b2), string(b3), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// setTimelineIDs gives the entries their IDs once the transaction that wrote them has committed, so a
// failed write leaves the caller's entries as they were.
func setTimelineIDs(entries []*store.TimelineEntry, incidentID int64, ids []int64) {
	for i, e := range entries {
		e.ID, e.IncidentID = ids[i], incidentID
	}
}

func appendTimeline(ctx context.Context, tx *sql.Tx, incidentID int64, entries []*store.TimelineEntry) ([]int64, error) {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		err := tx.QueryRowContext(ctx, `INSERT INTO incident_timeline (incident_id, at, author, kind, text, payload)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, incidentID, store.UnixNano(e.At), e.Author, e.Kind, e.Text,
			e.Payload).Scan(&ids[i])
		if err != nil {
			return nil, fmt.Errorf("append %s entry: %w", e.Kind, mapError(err))
		}
	}
	return ids, nil
}

func scanIncident(r rowScanner) (store.Incident, error) {
	var inc store.Incident
	var roles, alerts, intens string
	var detected, declared, acked, first, last, resolved int64
	if err := r.Scan(&inc.ID, &inc.Title, &inc.Lang, &inc.Severity, &inc.Status, &roles, &alerts,
		&inc.CrisisType, &intens, &inc.Scenario, &detected, &declared, &acked, &first, &last, &resolved,
		&inc.CreatedBy, &inc.Version); err != nil {
		return store.Incident{}, mapError(err)
	}
	if err := json.Unmarshal([]byte(roles), &inc.Roles); err != nil {
		return store.Incident{}, fmt.Errorf("incident %d roles: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(alerts), &inc.Alerts); err != nil {
		return store.Incident{}, fmt.Errorf("incident %d alerts: %w", inc.ID, err)
	}
	if err := json.Unmarshal([]byte(intens), &inc.Intensifiers); err != nil {
		return store.Incident{}, fmt.Errorf("incident %d intensifiers: %w", inc.ID, err)
	}
	inc.DetectedAt, inc.DeclaredAt = store.FromUnixNano(detected), store.FromUnixNano(declared)
	inc.AcknowledgedAt, inc.FirstResponseAt = store.FromUnixNano(acked), store.FromUnixNano(first)
	inc.LastUpdateAt, inc.ResolvedAt = store.FromUnixNano(last), store.FromUnixNano(resolved)
	return inc, nil
}

// IncidentByID returns one incident, or store.ErrNotFound.
func (s *Store) IncidentByID(ctx context.Context, id int64) (store.Incident, error) {
	inc, err := scanIncident(s.read.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id))
	if err != nil {
		return store.Incident{}, fmt.Errorf("store: incident %d: %w", id, err)
	}
	return inc, nil
}

// IncidentList returns every incident, the most recently declared first.
func (s *Store) IncidentList(ctx context.Context) ([]store.Incident, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents ORDER BY declared_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: incidents: %w", mapError(err))
	}
	defer rows.Close()
	list := []store.Incident{}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, fmt.Errorf("store: incidents: %w", err)
		}
		list = append(list, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incidents: %w", mapError(err))
	}
	return list, nil
}

// ApplyIncidentChange writes c in one transaction on the single write connection.
func (s *Store) ApplyIncidentChange(ctx context.Context, c store.IncidentChange) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: change incident %d: %w", c.IncidentID, mapError(err))
	}
	defer tx.Rollback()
	done, err := applyIncidentChange(ctx, tx, c)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: change incident %d: commit: %w", c.IncidentID, mapError(err))
	}
	done()
	return nil
}

// applyIncidentChange writes c in tx, which the caller commits; done then sets the version and IDs
// the write gave. A statement step writes its timeline entry with it, in the statement's transaction.
func applyIncidentChange(ctx context.Context, tx *sql.Tx, c store.IncidentChange) (done func(), err error) {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM incidents WHERE id = ?`, c.IncidentID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("store: change incident %d: %w", c.IncidentID, mapError(err))
	}
	if inc := c.Incident; inc != nil {
		roles, alerts, intens, err := incidentJSON(inc)
		if err != nil {
			return nil, fmt.Errorf("store: change incident %d: %w", c.IncidentID, err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE incidents SET title = ?, lang = ?, severity = ?, status = ?,
			roles = ?, alerts = ?, crisis_type = ?, intensifiers = ?, scenario = ?, detected_at = ?,
			declared_at = ?, acknowledged_at = ?, first_response_at = ?, last_update_at = ?, resolved_at = ?,
			created_by = ?, version = version + 1 WHERE id = ? AND version = ?`,
			inc.Title, inc.Lang, inc.Severity, inc.Status, roles, alerts, inc.CrisisType, intens, inc.Scenario,
			store.UnixNano(inc.DetectedAt), store.UnixNano(inc.DeclaredAt), store.UnixNano(inc.AcknowledgedAt),
			store.UnixNano(inc.FirstResponseAt), store.UnixNano(inc.LastUpdateAt), store.UnixNano(inc.ResolvedAt),
			inc.CreatedBy, c.IncidentID, inc.Version)
		if err != nil {
			return nil, fmt.Errorf("store: change incident %d: %w", c.IncidentID, mapError(err))
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, fmt.Errorf("store: change incident %d at version %d: %w", c.IncidentID, inc.Version, store.ErrConflict)
		}
	}
	taskIDs := make([]int64, len(c.Tasks))
	for i, t := range c.Tasks {
		if t.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO incident_tasks (incident_id, position, step, do_nl, do_en,
				owner, due, done, done_by, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.IncidentID, t.Position, t.Step, t.DoNL, t.DoEN, t.Owner, store.UnixNano(t.Due), t.Done,
				t.DoneBy, store.UnixNano(t.DoneAt)).Scan(&taskIDs[i])
			if err != nil {
				return nil, fmt.Errorf("store: change incident %d: add task: %w", c.IncidentID, mapError(err))
			}
			continue
		}
		taskIDs[i] = t.ID
		res, err := tx.ExecContext(ctx, `UPDATE incident_tasks SET position = ?, step = ?, do_nl = ?, do_en = ?,
			owner = ?, due = ?, done = ?, done_by = ?, done_at = ? WHERE id = ? AND incident_id = ?`,
			t.Position, t.Step, t.DoNL, t.DoEN, t.Owner, store.UnixNano(t.Due), t.Done, t.DoneBy,
			store.UnixNano(t.DoneAt), t.ID, c.IncidentID)
		if err != nil {
			return nil, fmt.Errorf("store: change incident %d: task %d: %w", c.IncidentID, t.ID, mapError(err))
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, fmt.Errorf("store: change incident %d: task %d: %w", c.IncidentID, t.ID, store.ErrNotFound)
		}
	}
	claimIDs := make([]int64, len(c.Claims))
	for i, cl := range c.Claims {
		posts, err := json.Marshal(nonNil(cl.Posts))
		if err != nil {
			return nil, fmt.Errorf("store: change incident %d: claim posts: %w", c.IncidentID, err)
		}
		if cl.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO incident_claims (incident_id, text, status, owner, answer,
				posts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.IncidentID, cl.Text, cl.Status, cl.Owner, cl.Answer, string(posts), store.UnixNano(cl.CreatedAt),
				store.UnixNano(cl.UpdatedAt)).Scan(&claimIDs[i])
			if err != nil {
				return nil, fmt.Errorf("store: change incident %d: add claim: %w", c.IncidentID, mapError(err))
			}
			continue
		}
		claimIDs[i] = cl.ID
		res, err := tx.ExecContext(ctx, `UPDATE incident_claims SET text = ?, status = ?, owner = ?, answer = ?,
			posts = ?, updated_at = ? WHERE id = ? AND incident_id = ?`,
			cl.Text, cl.Status, cl.Owner, cl.Answer, string(posts), store.UnixNano(cl.UpdatedAt), cl.ID, c.IncidentID)
		if err != nil {
			return nil, fmt.Errorf("store: change incident %d: claim %d: %w", c.IncidentID, cl.ID, mapError(err))
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, fmt.Errorf("store: change incident %d: claim %d: %w", c.IncidentID, cl.ID, store.ErrNotFound)
		}
	}
	entryIDs, err := appendTimeline(ctx, tx, c.IncidentID, c.Timeline)
	if err != nil {
		return nil, fmt.Errorf("store: change incident %d: %w", c.IncidentID, err)
	}
	return func() {
		if c.Incident != nil {
			c.Incident.Version++
		}
		for i, t := range c.Tasks {
			t.ID, t.IncidentID = taskIDs[i], c.IncidentID
		}
		for i, cl := range c.Claims {
			cl.ID, cl.IncidentID = claimIDs[i], c.IncidentID
		}
		setTimelineIDs(c.Timeline, c.IncidentID, entryIDs)
	}, nil
}

// IncidentTimeline returns the timeline of an incident, oldest first.
func (s *Store) IncidentTimeline(ctx context.Context, incidentID int64) ([]store.TimelineEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, incident_id, at, author, kind, text, payload
		FROM incident_timeline WHERE incident_id = ? ORDER BY id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: incident %d timeline: %w", incidentID, mapError(err))
	}
	defer rows.Close()
	list := []store.TimelineEntry{}
	for rows.Next() {
		var e store.TimelineEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.Author, &e.Kind, &e.Text, &e.Payload); err != nil {
			return nil, fmt.Errorf("store: incident %d timeline: %w", incidentID, mapError(err))
		}
		e.At = store.FromUnixNano(at)
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incident %d timeline: %w", incidentID, mapError(err))
	}
	return list, nil
}

// IncidentTasks returns the checklist of an incident by position.
func (s *Store) IncidentTasks(ctx context.Context, incidentID int64) ([]store.IncidentTask, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, incident_id, position, step, do_nl, do_en, owner, due,
		done, done_by, done_at FROM incident_tasks WHERE incident_id = ? ORDER BY position, id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: incident %d tasks: %w", incidentID, mapError(err))
	}
	defer rows.Close()
	list := []store.IncidentTask{}
	for rows.Next() {
		var t store.IncidentTask
		var due, doneAt int64
		if err := rows.Scan(&t.ID, &t.IncidentID, &t.Position, &t.Step, &t.DoNL, &t.DoEN, &t.Owner, &due,
			&t.Done, &t.DoneBy, &doneAt); err != nil {
			return nil, fmt.Errorf("store: incident %d tasks: %w", incidentID, mapError(err))
		}
		t.Due, t.DoneAt = store.FromUnixNano(due), store.FromUnixNano(doneAt)
		list = append(list, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incident %d tasks: %w", incidentID, mapError(err))
	}
	return list, nil
}

// IncidentClaims returns the claims of an incident, oldest first.
func (s *Store) IncidentClaims(ctx context.Context, incidentID int64) ([]store.Claim, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, incident_id, text, status, owner, answer, posts,
		created_at, updated_at FROM incident_claims WHERE incident_id = ? ORDER BY id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: incident %d claims: %w", incidentID, mapError(err))
	}
	defer rows.Close()
	list := []store.Claim{}
	for rows.Next() {
		var cl store.Claim
		var posts string
		var created, updated int64
		if err := rows.Scan(&cl.ID, &cl.IncidentID, &cl.Text, &cl.Status, &cl.Owner, &cl.Answer, &posts,
			&created, &updated); err != nil {
			return nil, fmt.Errorf("store: incident %d claims: %w", incidentID, mapError(err))
		}
		if err := json.Unmarshal([]byte(posts), &cl.Posts); err != nil {
			return nil, fmt.Errorf("store: incident %d claim %d posts: %w", incidentID, cl.ID, err)
		}
		cl.CreatedAt, cl.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
		list = append(list, cl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: incident %d claims: %w", incidentID, mapError(err))
	}
	return list, nil
}
