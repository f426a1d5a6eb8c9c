// Process entry for `mailroom start`: load the configuration, build the app, run until SIGTERM
// or SIGINT, then stop cleanly (in-flight work finishes or is left resumable).
import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/load.ts';

export async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let app;
  try {
    // buildApp checks what the configuration meets in the database too (MAILROOM_SECRET_KEY).
    app = buildApp(loadConfig(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) process.stderr.write(`mailroom: configuration error: ${line}\n`);
      return 1;
    }
    throw err;
  }
  await app.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.logger.info({ signal }, 'stopping');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await app.stop();
  return 0;
}
