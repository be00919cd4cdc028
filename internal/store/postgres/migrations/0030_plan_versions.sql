-- The crisis plan, as a history of YAML documents. Times are Unix nanoseconds, as in the SQLite store.
CREATE TABLE plan_versions (
	version    bigint PRIMARY KEY,
	yaml       text   NOT NULL,
	author     text   NOT NULL,
	created_at bigint NOT NULL
);
