-- data is the post as JSON without its text, which is in the text column: together they are the whole
-- post, so every field round-trips. The other columns exist to be
-- filtered, ordered and indexed. created_at is Unix nanoseconds, so ordering is exact and cheap.
CREATE TABLE posts (
	seq           INTEGER PRIMARY KEY,
	platform      TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	lang          TEXT    NOT NULL,
	author_handle TEXT    NOT NULL,
	text          TEXT    NOT NULL,
	data          TEXT    NOT NULL,
	UNIQUE (platform, id)
);

CREATE INDEX posts_created_at ON posts (created_at DESC, platform, id);

-- External content: the index reads text from posts instead of keeping a second copy. InsertPosts
-- fills it with one statement per batch rather than a row trigger, which measured faster.
CREATE VIRTUAL TABLE posts_fts USING fts5 (
	text,
	content = 'posts',
	content_rowid = 'seq',
	tokenize = 'unicode61 remove_diacritics 2'
);
