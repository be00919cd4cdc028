-- Alerts as their latest event left them, and silences. Times are Unix nanoseconds; post ids are a JSON
-- array. updated_at orders events of one alert, so an old event never overwrites a newer one.
CREATE TABLE alerts (
	id          text    PRIMARY KEY,
	monitor     text    NOT NULL,
	kind        text    NOT NULL,
	severity    text    NOT NULL,
	status      text    NOT NULL,
	summary     text    NOT NULL,
	explanation bytea   NOT NULL,
	post_ids    text    NOT NULL,
	opened_at   bigint  NOT NULL,
	updated_at  bigint  NOT NULL,
	resolved_at bigint  NOT NULL DEFAULT 0,
	resolved_by text    NOT NULL DEFAULT '',
	acked_by    text    NOT NULL DEFAULT '',
	acked_at    bigint  NOT NULL DEFAULT 0
);
CREATE INDEX alerts_updated ON alerts (updated_at DESC, id);
CREATE INDEX alerts_monitor ON alerts (monitor, updated_at DESC);

CREATE TABLE silences (
	id         text    PRIMARY KEY,
	monitor    text    NOT NULL,
	kind       text    NOT NULL,
	start_at   bigint  NOT NULL,
	end_at     bigint  NOT NULL,
	comment    text    NOT NULL,
	created_by text    NOT NULL,
	created_at bigint  NOT NULL
);
CREATE INDEX silences_end ON silences (end_at);
