/** The Slack workspace the tasks-slack*.test.ts files run in: three people in two zones, a bot, one channel. */
import type { FakeSlackApi } from '../support/fake-slack-api.ts'

export const NY = 'America/New_York'
export const BERLIN = 'Europe/Berlin'

export function people(fake: FakeSlackApi): void {
  fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice Martin', tz: NY, profile: { display_name: 'Alice' } })
  fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob Chen', tz: BERLIN, profile: { display_name: 'Bob' } })
  fake.users.set('UEVE', { id: 'UEVE', name: 'eve', real_name: 'Eve Stranger', tz: 'UTC', profile: { display_name: 'Eve' } })
  fake.users.set('UBOTTY', { id: 'UBOTTY', name: 'deploybot', is_bot: true, profile: { display_name: 'deploybot' } })
  fake.channels.set('C1', { id: 'C1', name: 'general' })
  fake.members.set('C1', ['UALICE', 'UBOB', 'UEVE'])
}
