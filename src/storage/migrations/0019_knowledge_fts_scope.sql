-- Search touches only the asker's workspace: the FTS index gets a fourth column, `scope`, holding
-- one token per row ('w' || hex(workspace_id): a single unicode61 token whatever the id's
-- punctuation). The repository ANDs `scope : "<token>"` into every MATCH, so FTS5 intersects
-- doclists before ranking, and rows of other workspaces are never ranked, read or joined.
-- The index stays external content; its content is a view that adds the scope to knowledge_items.
DROP TRIGGER `knowledge_items_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `knowledge_items_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `knowledge_items_fts_au`;
--> statement-breakpoint
DROP TABLE `knowledge_fts`;
--> statement-breakpoint
CREATE VIEW `knowledge_fts_source` AS
	SELECT id, title, search_text, tags_text, 'w' || hex(workspace_id) AS scope FROM `knowledge_items`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(
	title, search_text, tags_text, scope,
	content='knowledge_fts_source', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
--> statement-breakpoint
-- Ranking as before (title 10x body, tags 5x); the scope column weighs nothing.
INSERT INTO `knowledge_fts`(`knowledge_fts`, `rank`) VALUES ('rank', 'bm25(10.0, 1.0, 5.0, 0.0)');
--> statement-breakpoint
CREATE TRIGGER `knowledge_items_fts_ai` AFTER INSERT ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(rowid, title, search_text, tags_text, scope)
	VALUES (new.id, new.title, new.search_text, new.tags_text, 'w' || hex(new.workspace_id));
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_items_fts_ad` AFTER DELETE ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, title, search_text, tags_text, scope)
	VALUES ('delete', old.id, old.title, old.search_text, old.tags_text, 'w' || hex(old.workspace_id));
END;
--> statement-breakpoint
-- Only content columns re-index: bookkeeping updates (last_viewed_at on every search) stay cheap.
CREATE TRIGGER `knowledge_items_fts_au` AFTER UPDATE OF title, search_text, tags_text, workspace_id ON `knowledge_items` BEGIN
	INSERT INTO `knowledge_fts`(`knowledge_fts`, rowid, title, search_text, tags_text, scope)
	VALUES ('delete', old.id, old.title, old.search_text, old.tags_text, 'w' || hex(old.workspace_id));
	INSERT INTO `knowledge_fts`(rowid, title, search_text, tags_text, scope)
	VALUES (new.id, new.title, new.search_text, new.tags_text, 'w' || hex(new.workspace_id));
END;
--> statement-breakpoint
-- Index the rows saved before this migration.
INSERT INTO `knowledge_fts`(`knowledge_fts`) VALUES ('rebuild');
