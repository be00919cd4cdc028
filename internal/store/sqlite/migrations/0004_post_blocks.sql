-- post_blocks holds, for each run of 4096 consecutive seq values (seq >> 12), the range of created_at
-- in it. A text search walks the blocks newest first and stops as soon as no later block can hold a
-- post newer than those already found, instead of ordering every match: posts arrive roughly in time
-- order, so a common word is answered from the newest block or two. The bounds may be wider than
-- the posts left in a block (after deletions), never narrower.
CREATE TABLE post_blocks (
	block          INTEGER PRIMARY KEY,
	min_created_at INTEGER NOT NULL,
	max_created_at INTEGER NOT NULL
);

INSERT INTO post_blocks (block, min_created_at, max_created_at)
SELECT seq >> 12, min(created_at), max(created_at) FROM posts WHERE true GROUP BY seq >> 12;
