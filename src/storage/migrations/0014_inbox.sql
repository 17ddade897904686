CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`key` text NOT NULL,
	`body` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`effects` integer DEFAULT 0 NOT NULL,
	`owner` text,
	`lease_until` integer,
	`received_at` integer NOT NULL,
	`finished_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_key` ON `inbox` (`source`,`key`);--> statement-breakpoint
CREATE INDEX `inbox_state` ON `inbox` (`state`,`received_at`);--> statement-breakpoint
ALTER TABLE `task_notifications` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `task_notifications` ADD `sent` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `origin_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_origin` ON `tasks` (`workspace_id`,`origin_key`);