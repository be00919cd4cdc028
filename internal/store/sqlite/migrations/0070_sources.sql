-- Sources configured in the web app. settings is a JSON object; credentials is sealed text (package
-- secret), never plaintext. Times are Unix nanoseconds.
CREATE TABLE sources (
	id          TEXT    PRIMARY KEY,
	kind        TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	settings    TEXT    NOT NULL,
	credentials TEXT    NOT NULL,
	enabled     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
