-- /kb on many workspaces: a search ranks every item matching any of its words (the any-word
-- fallback reads ~3,500 rows at 1M items in 50 workspaces), and ts_rank needs each one's search
-- vector. In knowledge_items a workspace's rows are scattered among every other workspace's, so
-- each match cost a page of wide rows (bodies, titles, snippets' text) read into shared buffers.
-- knowledge_search holds only what matching and ranking read, hash-partitioned by workspace: one
-- workspace's vectors sit together in a few small, hot pages, and its GIN index (the scoped
-- expression of 0004) covers only its partition. The search joins knowledge_items for the page only.
-- Rows are kept by triggers on knowledge_items (every write path, including ones added later);
-- knowledge_items and its scoped index stay as they are (termStats and running older processes read them).
CREATE TABLE "knowledge_search" (
  "id" bigint NOT NULL,
  "workspace_id" text NOT NULL,
  "status" text NOT NULL,
  "conversation_id" text NOT NULL,
  "conversation_key" text NOT NULL,
  "search_vector" tsvector NOT NULL
) PARTITION BY HASH ("workspace_id");
--> statement-breakpoint
-- 64 partitions: a workspace shares its partition with about 1/64 of the others (the scoped index
-- keeps prefix expansion to its own words either way).
DO $$ BEGIN
  FOR r IN 0..63 LOOP
    EXECUTE format('CREATE TABLE knowledge_search_p%s PARTITION OF knowledge_search FOR VALUES WITH (MODULUS 64, REMAINDER %s)', r, r);
  END LOOP;
END $$;
--> statement-breakpoint
-- One row per item without a unique key (it would have to include workspace_id, and a btree holding
-- workspace_id tempts the planner to AND a whole workspace into the search's bitmap where a partition
-- holds several): every write to an item holds its row lock until commit, so its trigger runs alone.
CREATE FUNCTION beacon_kb_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM knowledge_search WHERE workspace_id = OLD.workspace_id AND id = OLD.id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM knowledge_search WHERE workspace_id = OLD.workspace_id AND id = OLD.id;
  END IF;
  INSERT INTO knowledge_search (id, workspace_id, status, conversation_id, conversation_key, search_vector)
    VALUES (NEW.id, NEW.workspace_id, NEW.status, NEW.conversation_id, NEW.conversation_key, NEW.search_vector);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Updates of other columns (views, confirmations, stale asks) leave knowledge_search alone.
CREATE TRIGGER "knowledge_items_search_write" AFTER INSERT OR DELETE ON "knowledge_items"
  FOR EACH ROW EXECUTE FUNCTION beacon_kb_search_sync();
--> statement-breakpoint
CREATE TRIGGER "knowledge_items_search_update" AFTER UPDATE ON "knowledge_items" FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id OR OLD.conversation_key IS DISTINCT FROM NEW.conversation_key
    OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
  EXECUTE FUNCTION beacon_kb_search_sync();
--> statement-breakpoint
-- DELETE, not TRUNCATE: a TRUNCATE naming both tables (the tests' reset) is still using knowledge_search.
CREATE FUNCTION beacon_kb_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM knowledge_search;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "knowledge_items_search_truncate" AFTER TRUNCATE ON "knowledge_items"
  FOR EACH STATEMENT EXECUTE FUNCTION beacon_kb_search_truncate();
--> statement-breakpoint
-- The existing items, copied after the triggers exist (CREATE TRIGGER holds off writes to
-- knowledge_items until the migration commits, so none is missed; reads go on), a workspace's rows
-- in order, and the index built once over them rather than grown row by row.
INSERT INTO "knowledge_search" (id, workspace_id, status, conversation_id, conversation_key, search_vector)
  SELECT id, workspace_id, status, conversation_id, conversation_key, search_vector FROM "knowledge_items" ORDER BY workspace_id, id;
--> statement-breakpoint
CREATE INDEX "knowledge_search_id" ON "knowledge_search" USING btree ("id");
--> statement-breakpoint
CREATE INDEX "knowledge_search_scoped" ON "knowledge_search" USING gin (beacon_kb_scoped_vector("workspace_id", "search_vector"));
--> statement-breakpoint
ANALYZE "knowledge_search";
