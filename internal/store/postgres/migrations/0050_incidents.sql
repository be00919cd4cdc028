-- Incidents with their timeline, checklist and claims register. Times are Unix nanoseconds, as in the
-- SQLite store; lists and maps are JSON text. incident_timeline has no UPDATE or DELETE anywhere in the code: it is append-only.
CREATE TABLE incidents (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	title             text    NOT NULL,
	lang              text    NOT NULL,
	severity          bigint  NOT NULL,
	status            text    NOT NULL,
	roles             text    NOT NULL,
	alerts            text    NOT NULL,
	crisis_type       text    NOT NULL,
	intensifiers      text    NOT NULL,
	scenario          text    NOT NULL,
	detected_at       bigint  NOT NULL,
	declared_at       bigint  NOT NULL,
	acknowledged_at   bigint  NOT NULL,
	first_response_at bigint  NOT NULL,
	last_update_at    bigint  NOT NULL,
	resolved_at       bigint  NOT NULL,
	created_by        text    NOT NULL,
	version           bigint  NOT NULL
);
CREATE INDEX incidents_declared ON incidents (declared_at DESC, id DESC);

CREATE TABLE incident_timeline (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint  NOT NULL REFERENCES incidents (id),
	at          bigint  NOT NULL,
	author      text    NOT NULL,
	kind        text    NOT NULL,
	text        text    NOT NULL,
	payload     text    NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);

CREATE TABLE incident_tasks (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint  NOT NULL REFERENCES incidents (id),
	position    bigint  NOT NULL,
	step        text    NOT NULL,
	do_nl       text    NOT NULL,
	do_en       text    NOT NULL,
	owner       text    NOT NULL,
	due         bigint  NOT NULL,
	done        boolean NOT NULL,
	done_by     text    NOT NULL,
	done_at     bigint  NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, position, id);

CREATE TABLE incident_claims (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint  NOT NULL REFERENCES incidents (id),
	text        text    NOT NULL,
	status      text    NOT NULL,
	owner       text    NOT NULL,
	answer      text    NOT NULL,
	posts       text    NOT NULL,
	created_at  bigint  NOT NULL,
	updated_at  bigint  NOT NULL
);
CREATE INDEX incident_claims_incident ON incident_claims (incident_id, id);
