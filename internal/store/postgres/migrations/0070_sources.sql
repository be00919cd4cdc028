-- Sources configured in the web app. settings is a JSON object kept as text, as given; credentials is
-- sealed text (package secret), never plaintext. Times are Unix nanoseconds, as in the SQLite store.
CREATE TABLE sources (
	id          text    PRIMARY KEY,
	kind        text    NOT NULL,
	name        text    NOT NULL,
	settings    text    NOT NULL,
	credentials text    NOT NULL,
	enabled     boolean NOT NULL,
	created_at  bigint  NOT NULL,
	updated_at  bigint  NOT NULL
);
