CREATE TABLE `kudos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`giver_id` text,
	`giver_name` text,
	`receiver_id` text NOT NULL,
	`receiver_name` text NOT NULL,
	`reason` text NOT NULL,
	`value` text,
	`conversation_id` text,
	`dedupe_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`announced_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kudos_dedupe` ON `kudos` (`workspace_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `kudos_ws_created` ON `kudos` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `kudos_ws_receiver` ON `kudos` (`workspace_id`,`receiver_id`,`giver_id`);--> statement-breakpoint
CREATE INDEX `kudos_ws_giver` ON `kudos` (`workspace_id`,`giver_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `kudos_digest_channels` (
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`conversation_name` text,
	`enabled` integer NOT NULL,
	`changed_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	`last_week` text,
	PRIMARY KEY(`workspace_id`, `conversation_id`)
);
--> statement-breakpoint
CREATE INDEX `kudos_digest_enabled` ON `kudos_digest_channels` (`enabled`);