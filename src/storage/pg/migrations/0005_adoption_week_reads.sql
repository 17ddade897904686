-- A team's week read from indexes alone, as SQLite's 0022/0023 do. links() finds each reply's root
-- author in the thread index (kind and person added), without visiting the event rows of the whole
-- history; "new in the team" reads each active person's first_seen rows in week order and stops at
-- the first in one of the team's channels (firstSeenWeeks), a seek per person however long the history.
-- The wider thread index is built under a new name before the old one is dropped: DROP INDEX locks
-- adoption_events against reads too, and the migrator holds its locks until every pending migration
-- has run, so the drop comes last and reads go on while the indexes build.
CREATE INDEX "adoption_first_seen_first" ON "adoption_first_seen" USING btree ("workspace_id","person_id","week","conversation_id");--> statement-breakpoint
CREATE INDEX "adoption_events_thread_kind" ON "adoption_events" USING btree ("workspace_id","thread_id","kind","person_id");--> statement-breakpoint
DROP INDEX "adoption_events_thread";--> statement-breakpoint
ALTER INDEX "adoption_events_thread_kind" RENAME TO "adoption_events_thread";
