-- Accounts the composer publishes statements with. credentials is sealed text (package secret), never
-- plaintext. Times are Unix nanoseconds.
CREATE TABLE publish_accounts (
	id          TEXT    PRIMARY KEY,
	platform    TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	handle      TEXT    NOT NULL,
	service     TEXT    NOT NULL,
	credentials TEXT    NOT NULL,
	enabled     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
