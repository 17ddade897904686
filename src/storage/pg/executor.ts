import type { NodePgDatabase } from 'drizzle-orm/node-postgres'

/**
 * What the PostgreSQL repositories of this folder need: drizzle's query builder over node-postgres.
 * Typed without the schema so any drizzle instance over the pg schema (whatever its relations) fits.
 */
export type PgDb = NodePgDatabase<Record<string, unknown>>
/** A transaction of it (same builder, one connection). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0]
/** Either: helpers that must also run inside a caller's transaction take this. */
export type PgExecutor = PgDb | PgTx
