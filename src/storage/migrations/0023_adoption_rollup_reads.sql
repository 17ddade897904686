-- A team's week is read from indexes alone. links() finds each reply's root author in the thread
-- index (kind and person added), without visiting the event rows of the whole history.
DROP INDEX `adoption_events_thread`;--> statement-breakpoint
CREATE INDEX `adoption_events_thread` ON `adoption_events` (`workspace_id`,`thread_id`,`kind`,`person_id`);--> statement-breakpoint
-- The weekly rollup becomes a WITHOUT ROWID table: its primary key is the table, so a channel's week
-- is one contiguous range holding the counts (no lookup per row into a separate rowid table), and
-- each event bumps one b-tree fewer. Drizzle has no word for WITHOUT ROWID; its schema is unchanged.
CREATE TABLE `adoption_weekly_0023` (
	`workspace_id` text NOT NULL,
	`week` text NOT NULL,
	`conversation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `week`, `conversation_id`, `person_id`, `kind`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `adoption_weekly_0023` SELECT `workspace_id`, `week`, `conversation_id`, `person_id`, `kind`, `count` FROM `adoption_weekly`;--> statement-breakpoint
DROP TABLE `adoption_weekly`;--> statement-breakpoint
ALTER TABLE `adoption_weekly_0023` RENAME TO `adoption_weekly`;--> statement-breakpoint
CREATE INDEX `adoption_weekly_person` ON `adoption_weekly` (`person_id`,`workspace_id`);
