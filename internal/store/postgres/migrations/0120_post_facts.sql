-- post_facts keeps, for each matched post, the few small facts the incident room's situation view
-- sums up, so that summing up 100k posts reads a narrow table instead of every post's text and JSON
-- (a pass over the posts themselves read 140 MB for 100k posts). A trigger keeps it in step with
-- posts: on insert, when data changes (fresher engagement counts) and on delete. followers and
-- engagement (likes + reposts + replies + quotes) come from the post's JSON; lang is the language
-- analysis found, or else the one the platform gave; question is whether the text has a question mark.
CREATE TABLE post_facts (
	platform   text COLLATE "C" NOT NULL,
	id         text COLLATE "C" NOT NULL,
	created_at bigint  NOT NULL,
	monitors   text[] COLLATE "C" NOT NULL,
	author     text COLLATE "C" NOT NULL,
	lang       text COLLATE "C" NOT NULL,
	sentiment  text    NOT NULL,
	followers  bigint  NOT NULL,
	engagement bigint  NOT NULL,
	question   boolean NOT NULL,
	PRIMARY KEY (platform, id)
);
CREATE INDEX post_facts_created ON post_facts (created_at);
CREATE INDEX post_facts_monitors ON post_facts USING gin (monitors);
CREATE INDEX post_facts_questions ON post_facts (created_at DESC) WHERE question;

CREATE FUNCTION post_facts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		DELETE FROM post_facts WHERE platform = OLD.platform AND id = OLD.id;
		RETURN NULL;
	END IF;
	IF cardinality(NEW.monitors) = 0 THEN
		RETURN NULL;
	END IF;
	INSERT INTO post_facts (platform, id, created_at, monitors, author, lang, sentiment, followers, engagement, question)
	VALUES (NEW.platform, NEW.id, NEW.created_at, NEW.monitors, NEW.author_handle,
		coalesce(nullif(NEW.analysis->>'lang', ''), nullif(NEW.lang, ''), 'und'), NEW.sentiment,
		coalesce((NEW.data->'author'->>'followers')::bigint, 0),
		coalesce((NEW.data->'metrics'->>'likes')::bigint, 0) + coalesce((NEW.data->'metrics'->>'reposts')::bigint, 0) +
			coalesce((NEW.data->'metrics'->>'replies')::bigint, 0) + coalesce((NEW.data->'metrics'->>'quotes')::bigint, 0),
		strpos(NEW.text, '?') > 0 OR strpos(NEW.text, '？') > 0)
	ON CONFLICT (platform, id) DO UPDATE SET followers = EXCLUDED.followers, engagement = EXCLUDED.engagement;
	RETURN NULL;
END
$$;

CREATE TRIGGER post_facts_sync AFTER INSERT OR DELETE OR UPDATE OF data ON posts
	FOR EACH ROW EXECUTE FUNCTION post_facts_sync();

INSERT INTO post_facts (platform, id, created_at, monitors, author, lang, sentiment, followers, engagement, question)
SELECT platform, id, created_at, monitors, author_handle,
	coalesce(nullif(analysis->>'lang', ''), nullif(lang, ''), 'und'), sentiment,
	coalesce((data->'author'->>'followers')::bigint, 0),
	coalesce((data->'metrics'->>'likes')::bigint, 0) + coalesce((data->'metrics'->>'reposts')::bigint, 0) +
		coalesce((data->'metrics'->>'replies')::bigint, 0) + coalesce((data->'metrics'->>'quotes')::bigint, 0),
	strpos(text, '?') > 0 OR strpos(text, '？') > 0
FROM posts WHERE cardinality(monitors) > 0;
