-- post_facts keeps, for each matched post, the few small facts the incident room's situation view
-- sums up, so that summing up 100k posts reads a narrow table instead of every post's text and JSON.
-- Triggers keep it in step with posts: on insert, and when the engagement counts in data change.
-- followers and engagement (likes + reposts + replies + quotes) come from the post's JSON; lang is the
-- language analysis found, or else the one the platform gave; question is whether the text has a
-- question mark.
CREATE TABLE post_facts (
	seq        INTEGER PRIMARY KEY,
	created_at INTEGER NOT NULL,
	platform   TEXT    NOT NULL,
	author     TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	sentiment  TEXT    NOT NULL,
	followers  INTEGER NOT NULL,
	engagement INTEGER NOT NULL,
	question   INTEGER NOT NULL
);

-- The situation view lists the newest questions: this index yields them newest first.
CREATE INDEX post_facts_questions ON post_facts (created_at DESC, seq DESC) WHERE question;

CREATE TRIGGER post_facts_insert AFTER INSERT ON posts WHEN NEW.monitors IS NOT NULL BEGIN
	INSERT INTO post_facts (seq, created_at, platform, author, lang, sentiment, followers, engagement, question)
	VALUES (NEW.seq, NEW.created_at, NEW.platform, NEW.author_handle,
		coalesce(nullif(json_extract(NEW.analysis, '$.lang'), ''), nullif(NEW.lang, ''), 'und'), NEW.sentiment,
		coalesce(json_extract(NEW.data, '$.author.followers'), 0),
		coalesce(json_extract(NEW.data, '$.metrics.likes'), 0) + coalesce(json_extract(NEW.data, '$.metrics.reposts'), 0) +
			coalesce(json_extract(NEW.data, '$.metrics.replies'), 0) + coalesce(json_extract(NEW.data, '$.metrics.quotes'), 0),
		instr(NEW.text, '?') > 0 OR instr(NEW.text, '？') > 0);
END;

CREATE TRIGGER post_facts_update AFTER UPDATE OF data ON posts BEGIN
	UPDATE post_facts SET
		followers = coalesce(json_extract(NEW.data, '$.author.followers'), 0),
		engagement = coalesce(json_extract(NEW.data, '$.metrics.likes'), 0) + coalesce(json_extract(NEW.data, '$.metrics.reposts'), 0) +
			coalesce(json_extract(NEW.data, '$.metrics.replies'), 0) + coalesce(json_extract(NEW.data, '$.metrics.quotes'), 0)
	WHERE seq = NEW.seq;
END;

INSERT INTO post_facts (seq, created_at, platform, author, lang, sentiment, followers, engagement, question)
SELECT seq, created_at, platform, author_handle,
	coalesce(nullif(json_extract(analysis, '$.lang'), ''), nullif(lang, ''), 'und'), sentiment,
	coalesce(json_extract(data, '$.author.followers'), 0),
	coalesce(json_extract(data, '$.metrics.likes'), 0) + coalesce(json_extract(data, '$.metrics.reposts'), 0) +
		coalesce(json_extract(data, '$.metrics.replies'), 0) + coalesce(json_extract(data, '$.metrics.quotes'), 0),
	instr(text, '?') > 0 OR instr(text, '？') > 0
FROM posts WHERE monitors IS NOT NULL;

CREATE TRIGGER post_facts_delete AFTER DELETE ON posts BEGIN
	DELETE FROM post_facts WHERE seq = OLD.seq;
END;
