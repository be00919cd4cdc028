-- Statements of the response composer, their edit history, approval audit log and publications. Times
-- are Unix nanoseconds; maps and lists are JSON text. statement_versions and statement_audit are only
-- ever appended to.
CREATE TABLE statements (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id      bigint  NOT NULL REFERENCES incidents (id),
	lang             text    NOT NULL,
	form             text    NOT NULL,
	template_id      text    NOT NULL,
	template_version bigint  NOT NULL,
	vars             text    NOT NULL,
	core             text    NOT NULL,
	edits            text    NOT NULL,
	platforms        text    NOT NULL,
	state            text    NOT NULL,
	author           text    NOT NULL,
	version          bigint  NOT NULL,
	rev              bigint  NOT NULL,
	created_at       bigint  NOT NULL,
	updated_at       bigint  NOT NULL
);
CREATE INDEX statements_incident ON statements (incident_id, id);

CREATE TABLE statement_versions (
	statement_id bigint  NOT NULL REFERENCES statements (id),
	version      bigint  NOT NULL,
	core         text    NOT NULL,
	vars         text    NOT NULL,
	edits        text    NOT NULL,
	author       text    NOT NULL,
	at           bigint  NOT NULL,
	PRIMARY KEY (statement_id, version)
);

CREATE TABLE statement_audit (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	statement_id bigint  NOT NULL REFERENCES statements (id),
	at           bigint  NOT NULL,
	actor        text    NOT NULL,
	action       text    NOT NULL,
	version      bigint  NOT NULL,
	comment      text    NOT NULL
);
CREATE INDEX statement_audit_statement ON statement_audit (statement_id, id);

-- One row per (statement, version, channel): the row is written before the publisher is called, which
-- is what makes a retry unable to post twice.
CREATE TABLE statement_publications (
	statement_id bigint  NOT NULL REFERENCES statements (id),
	version      bigint  NOT NULL,
	channel      text    NOT NULL,
	platform     text    NOT NULL,
	status       text    NOT NULL,
	links        text    NOT NULL,
	error        text    NOT NULL,
	actor        text    NOT NULL,
	started_at   bigint  NOT NULL,
	finished_at  bigint  NOT NULL,
	PRIMARY KEY (statement_id, version, channel)
);
