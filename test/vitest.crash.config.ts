import { defineConfig } from 'vitest/config';

/** `npm run test:crash`: the crash test alone; it runs minutes, so `npm test` leaves it out. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/crash/**/*.test.ts'],
    testTimeout: 12 * 60_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'silent' },
    pool: 'forks',
  },
});
