DROP INDEX `kudos_ws_created`;--> statement-breakpoint
DROP INDEX `kudos_ws_receiver`;--> statement-breakpoint
CREATE INDEX `kudos_ws_created` ON `kudos` (`workspace_id`,`created_at`,`receiver_id`,`giver_id`,`value`);--> statement-breakpoint
CREATE INDEX `kudos_ws_receiver` ON `kudos` (`workspace_id`,`receiver_id`,`giver_id`,`value`);