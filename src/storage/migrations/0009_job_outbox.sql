CREATE TABLE `job_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`name` text NOT NULL,
	`data` text NOT NULL,
	`run_at` integer NOT NULL,
	`attempts` integer NOT NULL,
	`backoff_ms` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_outbox_job_id` ON `job_outbox` (`job_id`);