CREATE TABLE `task_assignees` (
	`task_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`display_name` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`task_id`, `person_id`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `task_assignees_person` ON `task_assignees` (`person_id`);--> statement-breakpoint
CREATE TABLE `task_counters` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`last_number` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `task_digests` (
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`last_overdue_digest_on` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `task_notifications` (
	`task_id` integer NOT NULL,
	`key` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`task_id`, `key`),
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`creator_id` text NOT NULL,
	`creator_name` text NOT NULL,
	`timezone` text NOT NULL,
	`due_at` integer,
	`due_date_only` integer DEFAULT false NOT NULL,
	`conversation_id` text,
	`source_conversation_id` text,
	`source_message_id` text,
	`source_thread_id` text,
	`source_permalink` text,
	`confirmation_message_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_number` ON `tasks` (`workspace_id`,`number`);--> statement-breakpoint
CREATE INDEX `tasks_open_due` ON `tasks` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `tasks_creator` ON `tasks` (`workspace_id`,`creator_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_conversation` ON `tasks` (`workspace_id`,`conversation_id`,`status`);