CREATE TABLE `oauth_tokens` (
	`inbox_key` text PRIMARY KEY NOT NULL,
	`refresh_token` text NOT NULL,
	`configured_hash` text,
	`source` text NOT NULL,
	`updated_at` integer NOT NULL
);
