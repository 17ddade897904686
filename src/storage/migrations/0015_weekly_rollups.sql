CREATE TABLE `adoption_first_seen` (
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`week` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `conversation_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `adoption_first_seen_person` ON `adoption_first_seen` (`person_id`,`workspace_id`);--> statement-breakpoint
CREATE TABLE `adoption_weekly` (
	`workspace_id` text NOT NULL,
	`week` text NOT NULL,
	`conversation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `week`, `conversation_id`, `person_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `adoption_weekly_person` ON `adoption_weekly` (`person_id`,`workspace_id`);--> statement-breakpoint
-- Backfill from the daily rollup: 'weekday 0' moves to the week's Sunday, six days back is its Monday.
INSERT INTO `adoption_weekly` (`workspace_id`, `week`, `conversation_id`, `person_id`, `kind`, `count`)
  SELECT `workspace_id`, date(`day`, 'weekday 0', '-6 days'), `conversation_id`, `person_id`, `kind`, sum(`count`)
  FROM `adoption_daily` GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO `adoption_first_seen` (`workspace_id`, `conversation_id`, `person_id`, `week`)
  SELECT `workspace_id`, `conversation_id`, `person_id`, min(`week`)
  FROM `adoption_weekly` WHERE `kind` != 'kudos_received' GROUP BY 1, 2, 3;
