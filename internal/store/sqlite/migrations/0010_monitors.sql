-- The analysis of each post, written with it. sentiment, complaint and categories (a bit set in the
-- order of store.Categories) exist to be filtered on; analysis is the whole stored analysis as JSON
-- (NULL for a post stored without one), and monitors the JSON array of the monitor ids it matched
-- (NULL for none).
ALTER TABLE posts ADD COLUMN sentiment TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN complaint INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN categories INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN analysis TEXT;
ALTER TABLE posts ADD COLUMN monitors TEXT;

-- One row per (monitor, matching post), for the monitor filter and the per-monitor counts of the last
-- day: both are range scans of the primary key. Rows stay when a monitor is deleted, as the history of
-- what it matched.
CREATE TABLE post_monitors (
	monitor_id TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	PRIMARY KEY (monitor_id, created_at, seq)
) WITHOUT ROWID;

CREATE TABLE monitors (
	id         TEXT    PRIMARY KEY,
	name       TEXT    NOT NULL,
	query      TEXT    NOT NULL,
	enabled    INTEGER NOT NULL,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- settings holds one row (id 1); its absence means the defaults.
CREATE TABLE settings (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	keep_all_posts INTEGER NOT NULL
);

CREATE TABLE source_cursors (
	source_id TEXT PRIMARY KEY,
	cursor    TEXT NOT NULL
);
