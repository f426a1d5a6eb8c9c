CREATE TABLE `sla_clocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`inbox_id` integer NOT NULL,
	`kind` text NOT NULL,
	`target_ms` integer NOT NULL,
	`started_at` integer NOT NULL,
	`used_ms` integer DEFAULT 0 NOT NULL,
	`running_since` integer,
	`due_at` integer,
	`breached_at` integer,
	`ended_at` integer,
	`outcome` text,
	`over_ms` integer,
	`answered_by` text,
	`assignee_user_id` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sla_clocks_conversation` ON `sla_clocks` (`conversation_id`,`ended_at`);--> statement-breakpoint
CREATE INDEX `sla_clocks_ended` ON `sla_clocks` (`ended_at`);--> statement-breakpoint
CREATE TABLE `timers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`conversation_id` integer,
	`ref_id` integer,
	`due_at` integer NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`event_id` integer,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`fired_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timers_key` ON `timers` (`kind`,`conversation_id`,`ref_id`);--> statement-breakpoint
CREATE INDEX `timers_status_due` ON `timers` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `timers_conversation` ON `timers` (`conversation_id`,`status`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `status_since` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `snoozed_until` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `snoozed_by` text;