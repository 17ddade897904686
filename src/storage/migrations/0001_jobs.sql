CREATE TABLE `job_schedules` (
	`name` text NOT NULL,
	`key` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`data` text NOT NULL,
	`next_run_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`name`, `key`)
);
--> statement-breakpoint
CREATE INDEX `job_schedules_next` ON `job_schedules` (`next_run_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`data` text NOT NULL,
	`status` text NOT NULL,
	`dedupe_key` text,
	`attempt` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer NOT NULL,
	`backoff_ms` integer NOT NULL,
	`run_at` integer NOT NULL,
	`claimed_by` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe` ON `jobs` (`name`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_due` ON `jobs` (`status`,`run_at`);--> statement-breakpoint
CREATE INDEX `jobs_finished` ON `jobs` (`finished_at`);