CREATE TABLE `teams_teams` (
	`workspace_id` text NOT NULL,
	`team_id` text NOT NULL,
	`group_id` text NOT NULL,
	`name` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `team_id`)
);
--> statement-breakpoint
ALTER TABLE `teams_references` ADD `unreachable_reason` text;--> statement-breakpoint
ALTER TABLE `teams_references` ADD `unreachable_at` integer;--> statement-breakpoint
ALTER TABLE `teams_users` ADD `unreachable_reason` text;--> statement-breakpoint
ALTER TABLE `teams_users` ADD `unreachable_at` integer;