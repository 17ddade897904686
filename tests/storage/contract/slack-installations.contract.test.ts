/**
 * Slack installation rows on SQLite and PostgreSQL: a reinstall keeps the first install time,
 * a re-seal applies only over the secret it expected, removal reports whether anything went.
 */
import { describe, expect, it } from 'vitest'
import { PgSlackInstallationRepository } from '../../../src/storage/pg/repositories/slack-installations.ts'
import { SqliteSlackInstallationRepository, type SlackInstallationRepository } from '../../../src/storage/repositories/slack-installations.ts'
import { describeWithPostgres, withPostgresDatabase } from '../../support/postgres.ts'
import { freshSqlite } from './backends.ts'

const describePg = await describeWithPostgres()
const row = (secret: string) => ({ key: 'T1', teamId: 'T1', enterpriseId: null, isEnterpriseInstall: false, botUserId: 'UB', secret })

describe('Slack installations on sqlite', () => {
  contract(async () => new SqliteSlackInstallationRepository(freshSqlite()))
})

describePg('Slack installations on postgres', () => {
  const pg = withPostgresDatabase()
  contract(async () => {
    await pg.reset()
    return new PgSlackInstallationRepository(pg.db)
  })
})

function contract(make: () => Promise<SlackInstallationRepository>): void {
  it('upserts keeping the install time, re-seals only over the expected secret, removes once', async () => {
    const repo = await make()
    const first = new Date('2025-01-01T00:00:00Z')
    const later = new Date('2025-02-01T00:00:00Z')
    await repo.upsert(row('s1'), first)
    await repo.upsert(row('s2'), later)
    expect(await repo.get('T1')).toEqual({ ...row('s2'), installedAt: first, updatedAt: later })
    await repo.reseal('T1', 's1', 'stale')
    expect((await repo.get('T1'))?.secret).toBe('s2')
    await repo.reseal('T1', 's2', 's3')
    expect((await repo.get('T1'))?.secret).toBe('s3')
    expect(await repo.remove('T1')).toBe(true)
    expect(await repo.remove('T1')).toBe(false)
    expect(await repo.get('T1')).toBeUndefined()
  })
}
