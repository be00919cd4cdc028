-- The analysis of each post, written with it. sentiment, complaint and categories (a bit set in the
-- order of store.Categories) exist to be filtered on; analysis is the whole stored analysis as JSON
-- (NULL for a post stored without one), and monitors the ids of the monitors it matched.
ALTER TABLE posts
	ADD COLUMN sentiment  text    NOT NULL DEFAULT '',
	ADD COLUMN complaint  boolean NOT NULL DEFAULT false,
	ADD COLUMN categories bigint  NOT NULL DEFAULT 0,
	ADD COLUMN analysis   json,
	ADD COLUMN monitors   text[] COLLATE "C" NOT NULL DEFAULT '{}';

-- The monitor filter is monitors @> ARRAY[id], which this index answers.
CREATE INDEX posts_monitors ON posts USING gin (monitors);

CREATE TABLE monitors (
	id         text COLLATE "C" PRIMARY KEY,
	name       text    NOT NULL,
	query      text    NOT NULL,
	enabled    boolean NOT NULL,
	created_by bigint  NOT NULL,
	created_at bigint  NOT NULL,
	updated_at bigint  NOT NULL
);

-- settings holds one row (id 1); its absence means the defaults.
CREATE TABLE settings (
	id             integer PRIMARY KEY CHECK (id = 1),
	keep_all_posts boolean NOT NULL
);

CREATE TABLE source_cursors (
	source_id text PRIMARY KEY,
	cursor    text NOT NULL
);
