import type { PgDb } from './db.ts'

/** A transaction of the PostgreSQL database (same query builder, one connection). */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0]
/** Either: helpers that must also run inside a caller's transaction take this. */
export type PgExecutor = PgDb | PgTx
