// The deployment checks: the container image and the systemd unit. They need what CI installs
// (podman, an image built from the Dockerfile, systemd-analyze), so .ci/run runs them after it
// has built the image: `MAILROOM_IMAGE=… npx vitest run --config test/deploy/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/deploy/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
