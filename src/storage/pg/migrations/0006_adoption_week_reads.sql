-- A team's week read from indexes alone, as SQLite's 0022/0023 do. links() finds each reply's root
-- author in the thread index (kind and person added), without visiting the event rows of the whole
-- history; "new in the team" reads each active person's first_seen rows in week order and stops at
-- the first in one of the team's channels (firstSeenWeeks), a seek per person however long the history.
DROP INDEX "adoption_events_thread";--> statement-breakpoint
CREATE INDEX "adoption_first_seen_first" ON "adoption_first_seen" USING btree ("workspace_id","person_id","week","conversation_id");--> statement-breakpoint
CREATE INDEX "adoption_events_thread" ON "adoption_events" USING btree ("workspace_id","thread_id","kind","person_id");
