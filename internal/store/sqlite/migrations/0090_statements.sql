-- Statements of the response composer, their edit history, approval audit log and publications. Times
-- are Unix nanoseconds; maps and lists are JSON text. statement_versions and statement_audit are only
-- ever appended to.
CREATE TABLE statements (
	id               INTEGER PRIMARY KEY,
	incident_id      INTEGER NOT NULL REFERENCES incidents (id),
	lang             TEXT    NOT NULL,
	form             TEXT    NOT NULL,
	template_id      TEXT    NOT NULL,
	template_version INTEGER NOT NULL,
	vars             TEXT    NOT NULL,
	core             TEXT    NOT NULL,
	edits            TEXT    NOT NULL,
	platforms        TEXT    NOT NULL,
	state            TEXT    NOT NULL,
	author           TEXT    NOT NULL,
	version          INTEGER NOT NULL,
	rev              INTEGER NOT NULL,
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX statements_incident ON statements (incident_id, id);

CREATE TABLE statement_versions (
	statement_id INTEGER NOT NULL REFERENCES statements (id),
	version      INTEGER NOT NULL,
	core         TEXT    NOT NULL,
	vars         TEXT    NOT NULL,
	edits        TEXT    NOT NULL,
	author       TEXT    NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY (statement_id, version)
);

CREATE TABLE statement_audit (
	id           INTEGER PRIMARY KEY,
	statement_id INTEGER NOT NULL REFERENCES statements (id),
	at           INTEGER NOT NULL,
	actor        TEXT    NOT NULL,
	action       TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	comment      TEXT    NOT NULL
);
CREATE INDEX statement_audit_statement ON statement_audit (statement_id, id);

-- One row per (statement, version, channel): the row is written before the publisher is called, which
-- is what makes a retry unable to post twice.
CREATE TABLE statement_publications (
	statement_id INTEGER NOT NULL REFERENCES statements (id),
	version      INTEGER NOT NULL,
	channel      TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	links        TEXT    NOT NULL,
	error        TEXT    NOT NULL,
	actor        TEXT    NOT NULL,
	started_at   INTEGER NOT NULL,
	finished_at  INTEGER NOT NULL,
	PRIMARY KEY (statement_id, version, channel)
);
