CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `people` (
	`workspace_id` text NOT NULL,
	`id` text NOT NULL,
	`display_name` text NOT NULL,
	`name_key` text NOT NULL,
	`timezone` text NOT NULL,
	`is_bot` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `people_name_key` ON `people` (`workspace_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`workspace_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`privacy` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `processed_events` (
	`workspace_id` text NOT NULL,
	`event_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `processed_events_at` ON `processed_events` (`at`);