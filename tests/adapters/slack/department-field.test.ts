/** SLACK_DEPARTMENT_FIELD: which profile field holds the department, and how the directory reads and stores it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { departmentFrom, isFieldId, profileFields, resolveFieldId } from '../../../adapters/slack/department-field.ts'
import { DEFAULT_TTL, SlackDirectory } from '../../../adapters/slack/people-cache.ts'
import { SlackClients } from '../../../adapters/slack/slack-clients.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { openMemoryDb } from '../../../src/storage/db.ts'
import { sqliteRepositories, type Repositories } from '../../../src/storage/repositories/index.ts'
import { FakeSlackApi } from '../../support/fake-slack-api.ts'
import { TestClock } from '../../support/test-clock.ts'

const FIELDS = [
  { id: 'Xf01TITLE', label: 'Title' },
  { id: 'Xf02DEPT', label: 'Department' },
  { id: 'Xf03DEPT', label: 'department' },
]

describe('resolveFieldId', () => {
  it('uses an id as it is, without looking at the labels', () => {
    expect(isFieldId('Xf06J0TS2UF9')).toBe(true)
    expect(resolveFieldId('Xf06J0TS2UF9', FIELDS)).toBe('Xf06J0TS2UF9')
    expect(resolveFieldId(' Xf02DEPT ', [])).toBe('Xf02DEPT')
  })

  it('matches a label case-insensitively and trimmed; the first match wins', () => {
    expect(isFieldId('Department')).toBe(false)
    expect(resolveFieldId('Department', FIELDS)).toBe('Xf02DEPT')
    expect(resolveFieldId('  DEPARTMENT ', FIELDS)).toBe('Xf02DEPT')
    expect(resolveFieldId('title', [{ id: 'Xf9', label: ' Title ' }])).toBe('Xf9')
  })

  it('finds nothing for an unknown label, or a team without custom fields', () => {
    expect(resolveFieldId('Cost centre', FIELDS)).toBeUndefined()
    expect(resolveFieldId('Department', [])).toBeUndefined()
    expect(resolveFieldId('xf02dept', FIELDS)).toBeUndefined() // not an id (ids start with "Xf"), and no such label
  })

  it('reads team.profile.get and users.profile.get answers, including Slack’s empty `fields: []`', () => {
    expect(profileFields({ ok: true, profile: { fields: [{ id: 'Xf1', label: 'Department', ordering: 0, type: 'text' }] } })).toEqual([
      { id: 'Xf1', label: 'Department' },
    ])
    expect(profileFields({ ok: true, profile: { fields: null } })).toEqual([])
    expect(departmentFrom({ profile: { fields: { Xf1: { value: ' Engineering ', alt: '' } } } }, 'Xf1')).toBe('Engineering')
    expect(departmentFrom({ profile: { fields: { Xf1: { value: '', alt: '' } } } }, 'Xf1')).toBeUndefined()
    expect(departmentFrom({ profile: { fields: { Xf2: { value: 'Sales' } } } }, 'Xf1')).toBeUndefined()
    expect(departmentFrom({ profile: { fields: [] } }, 'Xf1')).toBeUndefined()
    expect(departmentFrom({ profile: { fields: null } }, 'Xf1')).toBeUndefined()
  })
})

describe('SlackDirectory with a department field', () => {
  let fake: FakeSlackApi
  let repos: Repositories
  const clock = TestClock.at(Date.UTC(2025, 0, 1))
  const directory = (field?: string) => {
    const clients = new SlackClients({ slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: undefined }, { botToken: 'xoxb-t' })
    return new SlackDirectory(clients, repos, clock, silentLogger, DEFAULT_TTL, field)
  }

  beforeAll(async () => {
    fake = await new FakeSlackApi().start()
    fake.profileFields = [
      { id: 'Xf01TITLE', label: 'Title' },
      { id: 'Xf02DEPT', label: 'Department' },
    ]
    fake.users.set('U1', {
      id: 'U1',
      real_name: 'Ada',
      profile: { real_name: 'Ada', fields: { Xf02DEPT: { value: 'Engineering' }, Xf01TITLE: { value: 'Engineer' } } },
    })
    fake.users.set('U2', { id: 'U2', real_name: 'Bo', profile: { real_name: 'Bo' } })
    fake.users.set('UB', { id: 'UB', real_name: 'A bot', is_bot: true, profile: { fields: { Xf02DEPT: { value: 'Robots' } } } })
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => {
    fake.calls.length = 0
    repos = sqliteRepositories(openMemoryDb())
  })

  it('resolves the label once per team, reads the field and stores it with the person', async () => {
    const d = directory('department')
    expect((await d.person('T1', 'U1'))?.department).toBe('Engineering')
    expect((await d.person('T1', 'U2'))?.department).toBeUndefined()
    expect(fake.callsOf('team.profile.get')).toHaveLength(1)
    expect(fake.callsOf('users.profile.get').map((c) => c.params.user)).toEqual(['U1', 'U2'])
    expect((await repos.people.get('slack:T1', 'U1'))?.department).toBe('Engineering')
    expect(await repos.people.departments('slack:T1')).toEqual(new Map([['U1', 'Engineering']]))
  })

  it('an id needs no team.profile.get; bots are not asked', async () => {
    const d = directory('Xf01TITLE')
    expect((await d.person('T1', 'U1'))?.department).toBe('Engineer')
    expect((await d.person('T1', 'UB'))?.department).toBeUndefined()
    expect(fake.callsOf('team.profile.get')).toHaveLength(0)
    expect(fake.callsOf('users.profile.get').map((c) => c.params.user)).toEqual(['U1'])
  })

  it('changes nothing when unset: no profile calls, no department', async () => {
    expect((await directory().person('T1', 'U1'))?.department).toBeUndefined()
    expect(fake.calls.filter((c) => c.method.includes('profile'))).toEqual([])
  })

  it('an unknown label leaves departments unknown and is not looked up again before the expiry', async () => {
    const d = directory('Cost centre')
    expect((await d.person('T1', 'U1'))?.department).toBeUndefined()
    clock.advance(DEFAULT_TTL.peopleMs - 1)
    await d.person('T1', 'U2')
    expect(fake.callsOf('team.profile.get')).toHaveLength(1)
    expect(fake.callsOf('users.profile.get')).toHaveLength(0)
  })

  it('keeps the stored department when users.profile.get fails (e.g. the scope is missing)', async () => {
    await directory('Xf02DEPT').person('T1', 'U1')
    clock.advance(DEFAULT_TTL.peopleMs + 1)
    fake.failNext('users.profile.get', { error: 'missing_scope' })
    const p = await directory('Xf02DEPT').person('T1', 'U1')
    expect(p).toMatchObject({ displayName: 'Ada', department: 'Engineering' })
    expect((await repos.people.get('slack:T1', 'U1'))?.department).toBe('Engineering')
  })
})
