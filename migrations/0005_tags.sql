CREATE TABLE `conversation_tags` (
	`conversation_id` integer NOT NULL,
	`tag` text NOT NULL,
	`added_by` text,
	`added_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`conversation_id`, `tag`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conversation_tags_tag` ON `conversation_tags` (`tag`,`conversation_id`);