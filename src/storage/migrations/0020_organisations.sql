CREATE TABLE `organisation_identities` (
	`org_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`person_id` text NOT NULL,
	`email_key` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `person_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `organisation_identities_email` ON `organisation_identities` (`org_id`,`email_key`);--> statement-breakpoint
CREATE TABLE `organisation_workspaces` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `organisation_workspaces_org` ON `organisation_workspaces` (`org_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
);
