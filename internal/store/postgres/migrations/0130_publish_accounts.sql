-- Accounts the composer publishes statements with. credentials is sealed text (package secret), never
-- plaintext. Times are Unix nanoseconds, as in the SQLite store.
CREATE TABLE publish_accounts (
	id          text    PRIMARY KEY,
	platform    text    NOT NULL,
	name        text    NOT NULL,
	handle      text    NOT NULL,
	service     text    NOT NULL,
	credentials text    NOT NULL,
	enabled     boolean NOT NULL,
	created_at  bigint  NOT NULL,
	updated_at  bigint  NOT NULL
);
