-- post_monitor_facts replaces post_facts (0120): the same facts, but one row per (monitor, matching
-- post), in the order of post_monitors' primary key. Summing up a monitor's window is then one range
-- scan of this table, instead of a range scan of post_monitors and a lookup of each post's facts by
-- seq, which measured as the bigger part of the time at 100k posts: posts stored out of time order
-- put neighbouring rows of the window on pages far apart. A trigger fills it as post_monitors is
-- filled, and another keeps the engagement counts current when a post's data changes.
DROP TRIGGER post_facts_insert;
DROP TRIGGER post_facts_update;
DROP TRIGGER post_facts_delete;
DROP TABLE post_facts;

CREATE TABLE post_monitor_facts (
	monitor_id TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	platform   TEXT    NOT NULL,
	author     TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	sentiment  TEXT    NOT NULL,
	followers  INTEGER NOT NULL,
	engagement INTEGER NOT NULL,
	question   INTEGER NOT NULL,
	PRIMARY KEY (monitor_id, created_at, seq)
) WITHOUT ROWID;

-- The situation view lists the newest questions of a monitor: this index yields them newest first.
CREATE INDEX post_monitor_facts_questions ON post_monitor_facts (monitor_id, created_at DESC, seq DESC) WHERE question;

CREATE TRIGGER post_monitor_facts_insert AFTER INSERT ON post_monitors BEGIN
	INSERT OR IGNORE INTO post_monitor_facts (monitor_id, created_at, seq, platform, author, lang, sentiment, followers, engagement, question)
	SELECT NEW.monitor_id, NEW.created_at, NEW.seq, p.platform, p.author_handle,
		coalesce(nullif(json_extract(p.analysis, '$.lang'), ''), nullif(p.lang, ''), 'und'), p.sentiment,
		coalesce(json_extract(p.data, '$.author.followers'), 0),
		coalesce(json_extract(p.data, '$.metrics.likes'), 0) + coalesce(json_extract(p.data, '$.metrics.reposts'), 0) +
			coalesce(json_extract(p.data, '$.metrics.replies'), 0) + coalesce(json_extract(p.data, '$.metrics.quotes'), 0),
		instr(p.text, '?') > 0 OR instr(p.text, '？') > 0
	FROM posts p WHERE p.seq = NEW.seq;
END;

-- A post's rows are found by its monitors, created_at and seq: primary-key probes, no second index.
CREATE TRIGGER post_monitor_facts_update AFTER UPDATE OF data ON posts WHEN NEW.monitors IS NOT NULL BEGIN
	UPDATE post_monitor_facts SET
		followers = coalesce(json_extract(NEW.data, '$.author.followers'), 0),
		engagement = coalesce(json_extract(NEW.data, '$.metrics.likes'), 0) + coalesce(json_extract(NEW.data, '$.metrics.reposts'), 0) +
			coalesce(json_extract(NEW.data, '$.metrics.replies'), 0) + coalesce(json_extract(NEW.data, '$.metrics.quotes'), 0)
	WHERE monitor_id IN (SELECT value FROM json_each(NEW.monitors)) AND created_at = NEW.created_at AND seq = NEW.seq;
END;

CREATE TRIGGER post_monitor_facts_delete AFTER DELETE ON post_monitors BEGIN
	DELETE FROM post_monitor_facts WHERE monitor_id = OLD.monitor_id AND created_at = OLD.created_at AND seq = OLD.seq;
END;

INSERT INTO post_monitor_facts (monitor_id, created_at, seq, platform, author, lang, sentiment, followers, engagement, question)
SELECT pm.monitor_id, pm.created_at, pm.seq, p.platform, p.author_handle,
	coalesce(nullif(json_extract(p.analysis, '$.lang'), ''), nullif(p.lang, ''), 'und'), p.sentiment,
	coalesce(json_extract(p.data, '$.author.followers'), 0),
	coalesce(json_extract(p.data, '$.metrics.likes'), 0) + coalesce(json_extract(p.data, '$.metrics.reposts'), 0) +
		coalesce(json_extract(p.data, '$.metrics.replies'), 0) + coalesce(json_extract(p.data, '$.metrics.quotes'), 0),
	instr(p.text, '?') > 0 OR instr(p.text, '？') > 0
FROM post_monitors pm JOIN posts p ON p.seq = pm.seq;
