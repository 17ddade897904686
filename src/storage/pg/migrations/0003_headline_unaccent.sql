-- Snippets only: documents and queries are accent-folded in JavaScript before indexing
-- (knowledge-query.ts foldForSearch), but ts_headline re-parses the raw text, so "café" must be
-- unaccented at headline time to be marked for a "cafe" query. The search vector and matching
-- keep the plain `simple` configuration. unaccent is a trusted extension (PostgreSQL 13+): a
-- role with CREATE on the database may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION beacon_headline (COPY = simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION beacon_headline
  ALTER MAPPING FOR word, numword, hword, numhword, hword_part, hword_numpart WITH unaccent, simple;
