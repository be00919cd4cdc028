-- Alerts as their latest event left them, and silences. Times are Unix nanoseconds; post ids are a JSON
-- array. updated_at orders events of one alert, so an old event never overwrites a newer one.
CREATE TABLE alerts (
	id          TEXT    PRIMARY KEY,
	monitor     TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	severity    TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	summary     TEXT    NOT NULL,
	explanation BLOB    NOT NULL,
	post_ids    TEXT    NOT NULL,
	opened_at   INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	resolved_at INTEGER NOT NULL DEFAULT 0,
	resolved_by TEXT    NOT NULL DEFAULT '',
	acked_by    TEXT    NOT NULL DEFAULT '',
	acked_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_updated ON alerts (updated_at DESC, id);
CREATE INDEX alerts_monitor ON alerts (monitor, updated_at DESC);

CREATE TABLE silences (
	id         TEXT    PRIMARY KEY,
	monitor    TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	start_at   INTEGER NOT NULL,
	end_at     INTEGER NOT NULL,
	comment    TEXT    NOT NULL,
	created_by TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX silences_end ON silences (end_at);
