CREATE TABLE `adoption_daily` (
	`workspace_id` text NOT NULL,
	`day` text NOT NULL,
	`person_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `person_id`, `conversation_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `adoption_daily_conv_day` ON `adoption_daily` (`workspace_id`,`conversation_id`,`day`);--> statement-breakpoint
CREATE INDEX `adoption_daily_person` ON `adoption_daily` (`workspace_id`,`person_id`);--> statement-breakpoint
CREATE TABLE `adoption_departments` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`department` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `adoption_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`target_person_id` text,
	`thread_id` text,
	`source_key` text,
	`at` integer NOT NULL,
	`day` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `adoption_events_at` ON `adoption_events` (`at`);--> statement-breakpoint
CREATE INDEX `adoption_events_ws_day` ON `adoption_events` (`workspace_id`,`day`);--> statement-breakpoint
CREATE INDEX `adoption_events_person` ON `adoption_events` (`workspace_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `adoption_events_thread` ON `adoption_events` (`workspace_id`,`thread_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `adoption_events_source` ON `adoption_events` (`workspace_id`,`source_key`);--> statement-breakpoint
CREATE TABLE `adoption_nudge_claims` (
	`workspace_id` text NOT NULL,
	`manager_id` text NOT NULL,
	`week` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `manager_id`, `week`)
);
--> statement-breakpoint
CREATE TABLE `adoption_nudge_prefs` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`muted` integer DEFAULT false NOT NULL,
	`snoozed_until` integer,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `adoption_nudges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`team_id` integer NOT NULL,
	`manager_id` text NOT NULL,
	`week` text NOT NULL,
	`diagnoses` text NOT NULL,
	`before` text NOT NULL,
	`after` text,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `adoption_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `adoption_nudges_once` ON `adoption_nudges` (`team_id`,`manager_id`,`week`);--> statement-breakpoint
CREATE INDEX `adoption_nudges_ws` ON `adoption_nudges` (`workspace_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `adoption_objectives` (
	`team_id` integer NOT NULL,
	`metric` text NOT NULL,
	`target` integer NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `metric`),
	FOREIGN KEY (`team_id`) REFERENCES `adoption_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `adoption_optouts` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `adoption_team_channels` (
	`team_id` integer NOT NULL,
	`conversation_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `conversation_id`),
	FOREIGN KEY (`team_id`) REFERENCES `adoption_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `adoption_team_managers` (
	`team_id` integer NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`team_id`, `person_id`),
	FOREIGN KEY (`team_id`) REFERENCES `adoption_teams`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `adoption_team_managers_person` ON `adoption_team_managers` (`person_id`);--> statement-breakpoint
CREATE TABLE `adoption_teams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `adoption_teams_name` ON `adoption_teams` (`workspace_id`,`name_key`);