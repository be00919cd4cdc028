-- data is the whole post as JSON. It is json, not jsonb, because jsonb cannot hold a \u0000 escape
-- and a post's text may contain one; the text column (for reading the table by hand) has it removed.
-- search is the folded, tokenized text, built in Go so that it needs no extension (unaccent) and
-- matches exactly what the SQLite store matches. created_at is Unix nanoseconds, so ordering is exact.
-- Keys collate as "C", so ordering is by bytes as in SQLite, whatever the database's locale.
CREATE TABLE posts (
	platform      text COLLATE "C" NOT NULL,
	id            text COLLATE "C" NOT NULL,
	created_at    bigint   NOT NULL,
	lang          text     NOT NULL,
	author_handle text     NOT NULL,
	text          text     NOT NULL,
	search        tsvector NOT NULL,
	data          json     NOT NULL,
	PRIMARY KEY (platform, id)
);

CREATE INDEX posts_created_at ON posts (created_at DESC, platform, id);

CREATE INDEX posts_search ON posts USING gin (search);
