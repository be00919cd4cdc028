-- Incidents with their timeline, checklist and claims register. Times are Unix nanoseconds; lists and
-- maps are JSON text. incident_timeline has no UPDATE or DELETE anywhere in the code: it is append-only.
CREATE TABLE incidents (
	id                INTEGER PRIMARY KEY,
	title             TEXT    NOT NULL,
	lang              TEXT    NOT NULL,
	severity          INTEGER NOT NULL,
	status            TEXT    NOT NULL,
	roles             TEXT    NOT NULL,
	alerts            TEXT    NOT NULL,
	crisis_type       TEXT    NOT NULL,
	intensifiers      TEXT    NOT NULL,
	scenario          TEXT    NOT NULL,
	detected_at       INTEGER NOT NULL,
	declared_at       INTEGER NOT NULL,
	acknowledged_at   INTEGER NOT NULL,
	first_response_at INTEGER NOT NULL,
	last_update_at    INTEGER NOT NULL,
	resolved_at       INTEGER NOT NULL,
	created_by        TEXT    NOT NULL,
	version           INTEGER NOT NULL
);
CREATE INDEX incidents_declared ON incidents (declared_at DESC, id DESC);

CREATE TABLE incident_timeline (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	at          INTEGER NOT NULL,
	author      TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	text        TEXT    NOT NULL,
	payload     TEXT    NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);

CREATE TABLE incident_tasks (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	position    INTEGER NOT NULL,
	step        TEXT    NOT NULL,
	do_nl       TEXT    NOT NULL,
	do_en       TEXT    NOT NULL,
	owner       TEXT    NOT NULL,
	due         INTEGER NOT NULL,
	done        INTEGER NOT NULL,
	done_by     TEXT    NOT NULL,
	done_at     INTEGER NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, position, id);

CREATE TABLE incident_claims (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	text        TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	owner       TEXT    NOT NULL,
	answer      TEXT    NOT NULL,
	posts       TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX incident_claims_incident ON incident_claims (incident_id, id);
