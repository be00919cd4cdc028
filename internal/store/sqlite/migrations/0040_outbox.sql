-- The notification outbox, escalation progress and acknowledgements. Times are Unix nanoseconds.
-- A notification's key (alert_id, step, recipient, channel) is unique, so an escalation step that is
-- replayed after a crash enqueues nothing new.
CREATE TABLE notifications (
	id           INTEGER PRIMARY KEY,
	alert_id     TEXT    NOT NULL,
	step         INTEGER NOT NULL,
	recipient    TEXT    NOT NULL,
	channel      TEXT    NOT NULL,
	payload      BLOB    NOT NULL,
	state        TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      INTEGER NOT NULL,
	lease_owner  TEXT    NOT NULL DEFAULT '',
	lease_until  INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	delivered_at INTEGER,
	UNIQUE (alert_id, step, recipient, channel)
);
CREATE INDEX notifications_due ON notifications (next_at) WHERE state IN ('pending', 'failed');
CREATE INDEX notifications_lease ON notifications (lease_until) WHERE state = 'sending';
CREATE INDEX notifications_dead ON notifications (updated_at) WHERE state = 'dead';

CREATE TABLE escalations (
	alert_id   TEXT    PRIMARY KEY,
	policy     BLOB    NOT NULL,
	state      TEXT    NOT NULL,
	next_seq   INTEGER NOT NULL,
	next_at    INTEGER NOT NULL,
	started_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	stopped_by TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX escalations_due ON escalations (next_at) WHERE state = 'active';

CREATE TABLE acks (
	alert_id  TEXT    NOT NULL,
	recipient TEXT    NOT NULL,
	acked_by  TEXT    NOT NULL,
	acked_at  INTEGER NOT NULL,
	PRIMARY KEY (alert_id, recipient)
);
