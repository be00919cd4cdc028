-- monitors counts the monitors a post matched. A window of several monitors counts a post matched by
-- more than one of them once, with a primary-key probe per row; most posts match one monitor only, and
-- for them this column makes the probe unnecessary. 0 means not known, and such rows are probed.
ALTER TABLE post_monitor_facts ADD COLUMN monitors INTEGER NOT NULL DEFAULT 0;

UPDATE post_monitor_facts SET monitors = coalesce((SELECT json_array_length(p.monitors) FROM posts p WHERE p.seq = post_monitor_facts.seq), 0);

DROP TRIGGER post_monitor_facts_insert;
CREATE TRIGGER post_monitor_facts_insert AFTER INSERT ON post_monitors BEGIN
	INSERT OR IGNORE INTO post_monitor_facts (monitor_id, created_at, seq, platform, author, lang, sentiment, followers, engagement, question, monitors)
	SELECT NEW.monitor_id, NEW.created_at, NEW.seq, p.platform, p.author_handle,
		coalesce(nullif(json_extract(p.analysis, '$.lang'), ''), nullif(p.lang, ''), 'und'), p.sentiment,
		coalesce(json_extract(p.data, '$.author.followers'), 0),
		coalesce(json_extract(p.data, '$.metrics.likes'), 0) + coalesce(json_extract(p.data, '$.metrics.reposts'), 0) +
			coalesce(json_extract(p.data, '$.metrics.replies'), 0) + coalesce(json_extract(p.data, '$.metrics.quotes'), 0),
		instr(p.text, '?') > 0 OR instr(p.text, '？') > 0,
		coalesce(json_array_length(p.monitors), 0)
	FROM posts p WHERE p.seq = NEW.seq;
END;
