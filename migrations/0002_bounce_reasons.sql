ALTER TABLE `messages` ADD `bounce_reason` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `bounce_status` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `bounce_retryable` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `bounce_of` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `resent_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `resent_by` text;