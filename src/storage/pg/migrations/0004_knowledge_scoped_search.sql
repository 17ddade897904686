-- /kb on many workspaces: a word typed half-way (`deplo:*`) made GIN collect the matches of every
-- lexeme with that prefix in every workspace before the workspace filter applied (45 ms of a 47 ms
-- query at 1M items in 50 workspaces). This index holds each lexeme prefixed by a short hash of
-- its workspace, so a query expands over the asker's workspace's words only. The hash only narrows
-- the candidates: the search keeps its exact `workspace_id =` and `search_vector @@` conditions
-- (the scoped vector has no positions, and two workspaces may share a hash).
-- Lexemes never contain spaces: documents are folded to letters, digits and single spaces before
-- to_tsvector (pg/repositories/knowledge-query.ts foldForSearch), so splitting on ' ' is exact,
-- and it is a plain expression the planner inlines (3.5× faster to build than unnest + ARRAY()).
CREATE FUNCTION beacon_kb_scoped_vector(workspace text, doc tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT array_to_tsvector(string_to_array(
    left(md5(workspace), 8) || '/' || array_to_string(tsvector_to_array(doc), ' ' || left(md5(workspace), 8) || '/'), ' ')) $$;
--> statement-breakpoint
-- The same prefix on every lexeme of a tsquery, and phrase operators (<->, <N>) turned into AND,
-- since the scoped vector has no positions. Lexemes are quoted in a tsquery's text form ('' for a
-- quote inside), so the replacement touches lexemes only.
CREATE FUNCTION beacon_kb_scoped_query(workspace text, query tsquery) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT regexp_replace(regexp_replace(query::text, '<(-|[0-9]+)>', '&', 'g'),
    '''((?:[^'']|'''')*)''', '''' || left(md5(workspace), 8) || '/\1''', 'g')::tsquery $$;
--> statement-breakpoint
DROP INDEX "knowledge_items_search";--> statement-breakpoint
CREATE INDEX "knowledge_items_scoped_search" ON "knowledge_items" USING gin (beacon_kb_scoped_vector("workspace_id", "search_vector"));
