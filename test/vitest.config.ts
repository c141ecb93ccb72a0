import { defineConfig } from 'vitest/config';

const hostFiles = { isolate: false, maxWorkers: 2, sequence: { groupOrder: 1 } };
const browserFiles = { isolate: false, maxWorkers: 1, sequence: { groupOrder: 2 } };

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    // Integration tests start a whole local host; give them time, and keep logs quiet.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
    pool: 'forks',
    // The crash test (test/crash) runs minutes with its own host processes: `npm run test:crash`.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Not isolated: every file starts a host of its own on fresh ports and a fresh data
      // folder, so the files can share one module cache instead of importing the host, the
      // stand-ins and the SDK again each (about 3 s a file). Integration files two at a time,
      // after the other projects: much of a file's time is waiting on its host's queues, and
      // two workers use a 2-core machine better. Browser files one at a time: two Chromiums
      // beside two hosts on 2 cores now and then failed to capture a screenshot.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          ...hostFiles,
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], ...browserFiles },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          // One worker, not isolated: the default stage is synthesized (with cdk-nag) once
          // for every stack file instead of once per file.
          isolate: false,
          fileParallelism: false,
        },
      },
    ],
  },
});
