import { bigint, timestamp } from 'drizzle-orm/pg-core'

/**
 * Column helpers shared by the PostgreSQL schema files, chosen so each table's row type equals its
 * SQLite twin's (Date for times, number for epoch milliseconds): the mappers of
 * src/storage/repositories/*.ts then serve both backends.
 */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** Epoch milliseconds (the job and inbox tables compare and shift them in SQL); exact up to 2^53. */
export const epochMs = (name: string) => bigint(name, { mode: 'number' })
