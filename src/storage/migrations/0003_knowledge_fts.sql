-- Full-text index over saved knowledge. External content: the text lives once, in knowledge_items;
-- the triggers below keep the index in step. Columns: title, search_text (plain body), tags_text.
-- prefix='2 3' makes the prefix queries /kb issues on every word cheap.
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(
	title, search_text, tags_text,
	content='knowledge_items', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
-- Ranking: title matches weigh 10x a body match, tags 5x (used by ORDER BY rank).
INSERT INTO `knowledge_fts`(`knowledge_fts`, `rank`) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
--> statement-breakpoint
CREATE TRIGGER `knowledge_items_fts_ai` AFTER INSERT ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(rowid, title, search_text, tags_text) VALUES (new.id, new.title, new.search_text, new.tags_text);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_items_fts_ad` AFTER DELETE ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, title, search_text, tags_text) VALUES ('delete', old.id, old.title, old.search_text, old.tags_text);
END;
--> statement-breakpoint
-- Only content columns re-index: bookkeeping updates (last_viewed_at on every search) stay cheap.
CREATE TRIGGER `knowledge_items_fts_au` AFTER UPDATE OF title, search_text, tags_text ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, title, search_text, tags_text) VALUES ('delete', old.id, old.title, old.search_text, old.tags_text);
	INSERT INTO `knowledge_fts`(rowid, title, search_text, tags_text) VALUES (new.id, new.title, new.search_text, new.tags_text);
END;
