CREATE TABLE `impact_digest_claims` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`month` text NOT NULL,
	`claimed_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`, `month`)
);
--> statement-breakpoint
CREATE TABLE `impact_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`week` text NOT NULL,
	`kind` text NOT NULL,
	`item_id` integer,
	`minutes` integer,
	`flag` integer,
	`source_key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `impact_events_ws_week` ON `impact_events` (`workspace_id`,`week`,`conversation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `impact_events_source` ON `impact_events` (`workspace_id`,`source_key`);--> statement-breakpoint
CREATE TABLE `impact_pair_weeks` (
	`workspace_id` text NOT NULL,
	`week` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `week`)
);
--> statement-breakpoint
CREATE TABLE `impact_pairs` (
	`workspace_id` text NOT NULL,
	`a` text NOT NULL,
	`b` text NOT NULL,
	`first_week` text NOT NULL,
	`conversation_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `a`, `b`)
);
--> statement-breakpoint
CREATE INDEX `impact_pairs_week` ON `impact_pairs` (`workspace_id`,`first_week`,`conversation_id`);--> statement-breakpoint
CREATE TABLE `impact_questions` (
	`workspace_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`asker_id` text NOT NULL,
	`asked_at` integer NOT NULL,
	`answered_at` integer,
	PRIMARY KEY(`workspace_id`, `thread_id`)
);
--> statement-breakpoint
CREATE INDEX `impact_questions_asked` ON `impact_questions` (`asked_at`);--> statement-breakpoint
CREATE TABLE `impact_sponsors` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
