import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Tests talk to real SQLite files, Redis and local HTTP fakes; two cores, so keep parallelism modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'beacon',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'tests/load/**', 'tests/durability/event-loop.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The stall test measures this process's event-loop delay: other test files on the same two
        // cores would be measured with it, so it runs alone, after the rest.
        extends: true,
        test: { name: 'event-loop', include: ['tests/durability/event-loop.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      {
        // The load test is the heaviest (it prints ack latency, asserts none), so it runs after everything else, alone.
        extends: true,
        test: { name: 'load', include: ['tests/load/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
})
