CREATE TABLE `teams_references` (
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`person_id` text,
	`team_id` text,
	`group_id` text,
	`reference` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `conversation_id`)
);
--> statement-breakpoint
CREATE INDEX `teams_references_person` ON `teams_references` (`workspace_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `teams_references_team` ON `teams_references` (`workspace_id`,`team_id`);--> statement-breakpoint
CREATE TABLE `teams_users` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`bot_user_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `teams_users_bot_user` ON `teams_users` (`workspace_id`,`bot_user_id`);