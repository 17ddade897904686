DROP INDEX `kudos_ws_created`;--> statement-breakpoint
DROP INDEX `kudos_ws_receiver`;--> statement-breakpoint
ALTER TABLE `kudos` ADD `public` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Kudos given before audiences were recorded count as public only where Beacon knew the channel was public.
UPDATE `kudos` SET `public` = 1 WHERE `conversation_id` IS NOT NULL AND EXISTS (SELECT 1 FROM `conversations` `c` WHERE `c`.`workspace_id` = `kudos`.`workspace_id` AND `c`.`id` = `kudos`.`conversation_id` AND `c`.`privacy` = 'public');--> statement-breakpoint
CREATE INDEX `kudos_ws_created` ON `kudos` (`workspace_id`,`created_at`,`receiver_id`,`giver_id`,`value`,`public`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `kudos_ws_receiver` ON `kudos` (`workspace_id`,`receiver_id`,`giver_id`,`value`,`public`,`conversation_id`);