import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['daemon/**/*.test.ts', 'drivers/**/*.test.ts', 'sync/**/*.test.ts', 'kiosk-ui/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Hardware and browser tests spawn socat/chromium; two cores only.
    pool: 'forks',
    maxWorkers: 2,
  },
});
