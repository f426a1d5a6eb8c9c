// Process entry for `mailroom start`: load the configuration, build the app, run until SIGTERM
// or SIGINT, then stop cleanly (in-flight work finishes or is left resumable).
import { existsSync } from 'node:fs';
import { buildApp } from './app.ts';
import { ConfigError } from './config/config-error.ts';
import { loadConfig } from './config/load.ts';

export async function main(): Promise<number> {
  // Listen before starting: as a container's PID 1 a signal without a handler is ignored, so a
  // SIGTERM during start-up would be lost. One that comes early stops the app once it has started.
  const signal = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  if (existsSync('.env')) process.loadEnvFile('.env');
  for (;;) {
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
    // A standby waits in start() until it holds the database; a signal meanwhile stops it too.
    const lost = app.leaseLost.then(() => 'lease lost' as const);
    const ended = await Promise.race([signal, Promise.race([app.start().then(() => lost), lost])]);
    app.logger.info(ended === 'lease lost' ? { reason: ended } : { signal: ended }, 'stopping');
    await app.stop();
    if (ended !== 'lease lost') return 0;
    // This process was paused past its lease: another one writes now. Stand by again, afresh.
  }
}
