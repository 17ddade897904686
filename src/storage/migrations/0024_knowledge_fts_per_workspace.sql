-- One full-text index per workspace instead of one shared by all (see repositories/knowledge-index.ts):
-- a shared index, even scoped by a workspace token in the MATCH (0019), still read every workspace's
-- postings for prefix words and bm25's document counts. The per-workspace tables are named after
-- the workspace, which SQL cannot do in a migration: migrateDb() creates them right after this runs,
-- each built from the rows its workspace already has; until then searches find nothing.
DROP TRIGGER `knowledge_items_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `knowledge_items_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `knowledge_items_fts_au`;
--> statement-breakpoint
DROP TABLE `knowledge_fts`;
--> statement-breakpoint
DROP VIEW `knowledge_fts_source`;
