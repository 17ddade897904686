CREATE TABLE `knowledge_channel_settings` (
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`suggest` integer DEFAULT 0 NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `conversation_id`)
);
--> statement-breakpoint
CREATE TABLE `knowledge_contributors` (
	`item_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`display_name` text NOT NULL,
	`name_key` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`item_id`, `person_id`),
	FOREIGN KEY (`item_id`) REFERENCES `knowledge_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_contributors_person` ON `knowledge_contributors` (`person_id`);--> statement-breakpoint
CREATE INDEX `knowledge_contributors_name` ON `knowledge_contributors` (`name_key`);--> statement-breakpoint
CREATE TABLE `knowledge_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`conversation_name` text NOT NULL,
	`conversation_key` text NOT NULL,
	`privacy` text NOT NULL,
	`root_message_id` text NOT NULL,
	`title` text NOT NULL,
	`title_edited` integer DEFAULT false NOT NULL,
	`body` text NOT NULL,
	`search_text` text NOT NULL,
	`tags_text` text DEFAULT '' NOT NULL,
	`permalink` text,
	`message_count` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`confirmation_message_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`synced_at` integer NOT NULL,
	`confirmed_at` integer,
	`last_viewed_at` integer,
	`stale_asked_at` integer,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_items_thread` ON `knowledge_items` (`workspace_id`,`thread_id`);--> statement-breakpoint
CREATE INDEX `knowledge_items_recent` ON `knowledge_items` (`workspace_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `knowledge_items_conversation` ON `knowledge_items` (`workspace_id`,`conversation_key`);--> statement-breakpoint
CREATE INDEX `knowledge_items_stale` ON `knowledge_items` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `knowledge_savers` (
	`item_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`via` text NOT NULL,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `person_id`),
	FOREIGN KEY (`item_id`) REFERENCES `knowledge_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_savers_person` ON `knowledge_savers` (`person_id`,`saved_at`);--> statement-breakpoint
CREATE TABLE `knowledge_tags` (
	`item_id` integer NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`item_id`, `tag`),
	FOREIGN KEY (`item_id`) REFERENCES `knowledge_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `knowledge_tags_tag` ON `knowledge_tags` (`tag`);