-- The crisis plan, as a history of YAML documents. Times are Unix nanoseconds.
CREATE TABLE plan_versions (
	version    INTEGER PRIMARY KEY,
	yaml       TEXT    NOT NULL,
	author     TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);
