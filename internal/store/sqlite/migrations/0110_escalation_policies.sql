-- An alert that the routing tree sends to several escalation policies has one escalation per policy,
-- each with its own progress: the key becomes (alert_id, policy_key). Escalations started before this
-- keep an empty policy key. SQLite cannot change a primary key in place, so the table is rebuilt.
CREATE TABLE escalations_by_policy (
	alert_id   TEXT    NOT NULL,
	policy_key TEXT    NOT NULL DEFAULT '',
	policy     BLOB    NOT NULL,
	state      TEXT    NOT NULL,
	next_seq   INTEGER NOT NULL,
	next_at    INTEGER NOT NULL,
	started_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	stopped_by TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (alert_id, policy_key)
);
INSERT INTO escalations_by_policy (alert_id, policy_key, policy, state, next_seq, next_at, started_at, updated_at, stopped_by)
	SELECT alert_id, '', policy, state, next_seq, next_at, started_at, updated_at, stopped_by FROM escalations;
DROP TABLE escalations;
ALTER TABLE escalations_by_policy RENAME TO escalations;
CREATE INDEX escalations_due ON escalations (next_at) WHERE state = 'active';
