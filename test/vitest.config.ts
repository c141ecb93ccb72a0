import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // Minutes long, with its own host processes: `npm run test:crash`.
    exclude: ['test/crash/**', '**/node_modules/**'],
    // Integration tests start a whole local host; give them time, and keep logs quiet.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
    pool: 'forks',
  },
});
