-- FTS5 merges index segments as they accumulate, four at a time by default. At a million posts that
-- merging was a sixth of the insert time; merging eight at a time does it less often, for slightly
-- more segments to read per search.
INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 8);
