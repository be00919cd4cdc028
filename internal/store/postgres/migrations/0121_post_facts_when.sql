-- The post_facts trigger (0120) ran its function for every post, also the many that matched no monitor
-- and have no facts to keep. Conditions on the triggers skip the function for those; deleting stays
-- unconditional, as a post's facts go with it.
DROP TRIGGER post_facts_sync ON posts;

CREATE TRIGGER post_facts_insert AFTER INSERT ON posts
	FOR EACH ROW WHEN (cardinality(NEW.monitors) > 0) EXECUTE FUNCTION post_facts_sync();
CREATE TRIGGER post_facts_update AFTER UPDATE OF data ON posts
	FOR EACH ROW WHEN (cardinality(NEW.monitors) > 0) EXECUTE FUNCTION post_facts_sync();
CREATE TRIGGER post_facts_delete AFTER DELETE ON posts
	FOR EACH ROW EXECUTE FUNCTION post_facts_sync();
