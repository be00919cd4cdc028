package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

const statementColumns = `id, incident_id, lang, form, template_id, template_version, vars, core, edits,
	platforms, state, author, version, rev, created_at, updated_at`

// statementJSON is the JSON text of a statement's maps and list.
func statementJSON(st *store.Statement) (vars, edits, platforms string, err error) {
	if vars, err = jsonText(st.Vars); err != nil {
		return "", "", "", err
	}
	if edits, err = jsonText(st.Edits); err != nil {
		return "", "", "", err
	}
	b, err := json.Marshal(nonNil(st.Platforms))
	return vars, edits, string(b), err
}

func jsonText(m map[string]string) (string, error) {
	if m == nil {
		m = map[string]string{}
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// CreateStatement stores the statement with its first audit entry and version in one transaction.
func (s *Store) CreateStatement(ctx context.Context, c store.StatementChange) error {
	st := c.Statement
	vars, edits, platforms, err := statementJSON(st)
	if err != nil {
		return fmt.Errorf("store: create statement of incident %d: %w", st.IncidentID, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create statement of incident %d: %w", st.IncidentID, mapError(err))
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO statements (incident_id, lang, form, template_id,
		template_version, vars, core, edits, platforms, state, author, version, rev, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?) RETURNING id`,
		st.IncidentID, st.Lang, st.Form, st.TemplateID, st.TemplateVersion, vars, st.Core, edits, platforms,
		st.State, st.Author, store.UnixNano(st.CreatedAt), store.UnixNano(st.UpdatedAt)).Scan(&id)
	if err != nil {
		return fmt.Errorf("store: create statement of incident %d: %w", st.IncidentID, mapError(err))
	}
	auditID, err := writeStatementExtras(ctx, tx, id, c)
	if err != nil {
		return fmt.Errorf("store: create statement of incident %d: %w", st.IncidentID, err)
	}
	written := *st
	written.ID, written.Version, written.Rev = id, 1, 1
	timelineDone, err := statementTimeline(ctx, tx, c, written)
	if err != nil {
		return fmt.Errorf("store: create statement of incident %d: timeline: %w", st.IncidentID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create statement of incident %d: commit: %w", st.IncidentID, mapError(err))
	}
	st.ID, st.Version, st.Rev = id, 1, 1
	setStatementExtraIDs(id, c, auditID)
	timelineDone()
	return nil
}

func setStatementExtraIDs(id int64, c store.StatementChange, auditID int64) {
	if c.Audit != nil {
		c.Audit.ID, c.Audit.StatementID = auditID, id
	}
	if c.NewVersion != nil {
		c.NewVersion.StatementID = id
	}
}

func writeStatementExtras(ctx context.Context, tx *sql.Tx, id int64, c store.StatementChange) (int64, error) {
	if v := c.NewVersion; v != nil {
		vars, err := jsonText(v.Vars)
		if err != nil {
			return 0, err
		}
		edits, err := jsonText(v.Edits)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO statement_versions (statement_id, version, core, vars,
			edits, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)`, id, v.Version, v.Core, vars, edits, v.Author,
			store.UnixNano(v.At)); err != nil {
			return 0, fmt.Errorf("version %d: %w", v.Version, mapError(err))
		}
	}
	var auditID int64
	if a := c.Audit; a != nil {
		if err := tx.QueryRowContext(ctx, `INSERT INTO statement_audit (statement_id, at, actor, action,
			version, comment) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, id, store.UnixNano(a.At), a.Actor,
			a.Action, a.Version, a.Comment).Scan(&auditID); err != nil {
			return 0, fmt.Errorf("audit %s: %w", a.Action, mapError(err))
		}
	}
	return auditID, nil
}

func scanStatement(r rowScanner) (store.Statement, error) {
	var st store.Statement
	var vars, edits, platforms string
	var created, updated int64
	if err := r.Scan(&st.ID, &st.IncidentID, &st.Lang, &st.Form, &st.TemplateID, &st.TemplateVersion, &vars,
		&st.Core, &edits, &platforms, &st.State, &st.Author, &st.Version, &st.Rev, &created, &updated); err != nil {
		return st, mapError(err)
	}
	if err := errors.Join(json.Unmarshal([]byte(vars), &st.Vars), json.Unmarshal([]byte(edits), &st.Edits),
		json.Unmarshal([]byte(platforms), &st.Platforms)); err != nil {
		return st, fmt.Errorf("decode statement %d: %w", st.ID, err)
	}
	st.CreatedAt, st.UpdatedAt = store.FromUnixNano(created), store.FromUnixNano(updated)
	return st, nil
}

// StatementByID returns one statement.
func (s *Store) StatementByID(ctx context.Context, id int64) (store.Statement, error) {
	st, err := scanStatement(s.read.QueryRowContext(ctx, `SELECT `+statementColumns+` FROM statements WHERE id = ?`, id))
	if err != nil {
		return store.Statement{}, fmt.Errorf("store: statement %d: %w", id, err)
	}
	return st, nil
}

// StatementsByIncident returns the statements of an incident, the first drafted first.
func (s *Store) StatementsByIncident(ctx context.Context, incidentID int64) ([]store.Statement, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+statementColumns+` FROM statements
		WHERE incident_id = ? ORDER BY id`, incidentID)
	if err != nil {
		return nil, fmt.Errorf("store: statements of incident %d: %w", incidentID, mapError(err))
	}
	defer rows.Close()
	list := []store.Statement{}
	for rows.Next() {
		st, err := scanStatement(rows)
		if err != nil {
			return nil, fmt.Errorf("store: statements of incident %d: %w", incidentID, err)
		}
		list = append(list, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statements of incident %d: %w", incidentID, mapError(err))
	}
	return list, nil
}

// SaveStatement writes a change when nobody saved the statement in the meantime.
func (s *Store) SaveStatement(ctx context.Context, c store.StatementChange) error {
	st := c.Statement
	vars, edits, platforms, err := statementJSON(st)
	if err != nil {
		return fmt.Errorf("store: save statement %d: %w", st.ID, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: save statement %d: %w", st.ID, mapError(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE statements SET lang = ?, form = ?, template_id = ?,
		template_version = ?, vars = ?, core = ?, edits = ?, platforms = ?, state = ?, version = ?,
		rev = rev + 1, updated_at = ? WHERE id = ? AND rev = ?`,
		st.Lang, st.Form, st.TemplateID, st.TemplateVersion, vars, st.Core, edits, platforms, st.State,
		st.Version, store.UnixNano(st.UpdatedAt), st.ID, st.Rev)
	if err != nil {
		return fmt.Errorf("store: save statement %d: %w", st.ID, mapError(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: save statement %d: %w", st.ID, mapError(err))
	} else if n == 0 {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM statements WHERE id = ?`, st.ID).Scan(&one)
		if err != nil {
			return fmt.Errorf("store: save statement %d: %w", st.ID, mapError(err))
		}
		return fmt.Errorf("store: save statement %d: %w", st.ID, store.ErrConflict)
	}
	auditID, err := writeStatementExtras(ctx, tx, st.ID, c)
	if err != nil {
		return fmt.Errorf("store: save statement %d: %w", st.ID, err)
	}
	written := *st
	written.Rev++
	timelineDone, err := statementTimeline(ctx, tx, c, written)
	if err != nil {
		return fmt.Errorf("store: save statement %d: timeline: %w", st.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: save statement %d: commit: %w", st.ID, mapError(err))
	}
	st.Rev++
	setStatementExtraIDs(st.ID, c, auditID)
	timelineDone()
	return nil
}

// StatementVersions returns the history of a statement, oldest first.
func (s *Store) StatementVersions(ctx context.Context, id int64) ([]store.StatementVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT statement_id, version, core, vars, edits, author, at
		FROM statement_versions WHERE statement_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("store: statement %d versions: %w", id, mapError(err))
	}
	defer rows.Close()
	list := []store.StatementVersion{}
	for rows.Next() {
		var v store.StatementVersion
		var vars, edits string
		var at int64
		if err := rows.Scan(&v.StatementID, &v.Version, &v.Core, &vars, &edits, &v.Author, &at); err != nil {
			return nil, fmt.Errorf("store: statement %d versions: %w", id, mapError(err))
		}
		if err := errors.Join(json.Unmarshal([]byte(vars), &v.Vars), json.Unmarshal([]byte(edits), &v.Edits)); err != nil {
			return nil, fmt.Errorf("store: statement %d version %d: %w", id, v.Version, err)
		}
		v.At = store.FromUnixNano(at)
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statement %d versions: %w", id, mapError(err))
	}
	return list, nil
}

// StatementAuditLog returns the audit entries of a statement, oldest first.
func (s *Store) StatementAuditLog(ctx context.Context, id int64) ([]store.StatementAudit, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, statement_id, at, actor, action, version, comment
		FROM statement_audit WHERE statement_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: statement %d audit: %w", id, mapError(err))
	}
	defer rows.Close()
	list := []store.StatementAudit{}
	for rows.Next() {
		var a store.StatementAudit
		var at int64
		if err := rows.Scan(&a.ID, &a.StatementID, &at, &a.Actor, &a.Action, &a.Version, &a.Comment); err != nil {
			return nil, fmt.Errorf("store: statement %d audit: %w", id, mapError(err))
		}
		a.At = store.FromUnixNano(at)
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statement %d audit: %w", id, mapError(err))
	}
	return list, nil
}

const publicationColumns = `statement_id, version, channel, platform, status, links, error, actor,
	started_at, finished_at`

func scanPublication(r rowScanner) (store.Publication, error) {
	var p store.Publication
	var links string
	var started, finished int64
	if err := r.Scan(&p.StatementID, &p.Version, &p.Channel, &p.Platform, &p.Status, &links, &p.Error,
		&p.Actor, &started, &finished); err != nil {
		return p, mapError(err)
	}
	if err := json.Unmarshal([]byte(links), &p.Links); err != nil {
		return p, fmt.Errorf("decode links: %w", err)
	}
	p.StartedAt, p.FinishedAt = store.FromUnixNano(started), store.FromUnixNano(finished)
	return p, nil
}

// BeginPublication claims the attempt for (statement, version, channel).
func (s *Store) BeginPublication(ctx context.Context, p store.Publication) (store.Publication, bool, error) {
	key := fmt.Sprintf("%d/%d/%s", p.StatementID, p.Version, p.Channel)
	links, err := json.Marshal(nonNil(p.Links))
	if err != nil {
		return store.Publication{}, false, fmt.Errorf("store: begin publication %s: %w", key, err)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return store.Publication{}, false, fmt.Errorf("store: begin publication %s: %w", key, mapError(err))
	}
	defer tx.Rollback()
	old, err := scanPublication(tx.QueryRowContext(ctx, `SELECT `+publicationColumns+` FROM statement_publications
		WHERE statement_id = ? AND version = ? AND channel = ?`, p.StatementID, p.Version, p.Channel))
	switch {
	case err == nil && old.Status != store.PublicationFailed:
		return old, false, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return store.Publication{}, false, fmt.Errorf("store: begin publication %s: %w", key, err)
	}
	p.Status, p.Error, p.FinishedAt = store.PublicationPending, "", time.Time{}
	if _, err := tx.ExecContext(ctx, `INSERT INTO statement_publications (`+publicationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, 0)
		ON CONFLICT (statement_id, version, channel) DO UPDATE SET platform = excluded.platform,
		status = excluded.status, links = excluded.links, error = '', actor = excluded.actor,
		started_at = excluded.started_at, finished_at = 0`,
		p.StatementID, p.Version, p.Channel, p.Platform, p.Status, string(links), p.Actor,
		store.UnixNano(p.StartedAt)); err != nil {
		return store.Publication{}, false, fmt.Errorf("store: begin publication %s: %w", key, mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return store.Publication{}, false, fmt.Errorf("store: begin publication %s: commit: %w", key, mapError(err))
	}
	return p, true, nil
}

// FinishPublication records the outcome of an attempt.
func (s *Store) FinishPublication(ctx context.Context, p store.Publication) error {
	key := fmt.Sprintf("%d/%d/%s", p.StatementID, p.Version, p.Channel)
	links, err := json.Marshal(nonNil(p.Links))
	if err != nil {
		return fmt.Errorf("store: finish publication %s: %w", key, err)
	}
	res, err := s.write.ExecContext(ctx, `UPDATE statement_publications SET status = ?, links = ?, error = ?,
		actor = ?, finished_at = ? WHERE statement_id = ? AND version = ? AND channel = ?`,
		p.Status, string(links), p.Error, p.Actor, store.UnixNano(p.FinishedAt), p.StatementID, p.Version, p.Channel)
	if err != nil {
		return fmt.Errorf("store: finish publication %s: %w", key, mapError(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: finish publication %s: %w", key, mapError(err))
	} else if n == 0 {
		return fmt.Errorf("store: finish publication %s: %w", key, store.ErrNotFound)
	}
	return nil
}

// Publications returns the publication attempts of a statement.
func (s *Store) Publications(ctx context.Context, statementID int64) ([]store.Publication, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+publicationColumns+` FROM statement_publications
		WHERE statement_id = ? ORDER BY version, channel`, statementID)
	if err != nil {
		return nil, fmt.Errorf("store: publications of statement %d: %w", statementID, mapError(err))
	}
	defer rows.Close()
	list := []store.Publication{}
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, fmt.Errorf("store: publications of statement %d: %w", statementID, err)
		}
		list = append(list, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: publications of statement %d: %w", statementID, mapError(err))
	}
	return list, nil
}
