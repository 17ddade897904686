// Every table, for drizzle-kit and for typed queries. Add new schema files here.
export * from './workspaces.ts'
export * from './people.ts'
export * from './conversations.ts'
export * from './processed-events.ts'
export * from './jobs.ts'
