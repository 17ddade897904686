import { describe, expect, it } from 'vitest'
import type { Beacon } from '../../src/app/compose.ts'
import { runShellScript } from '../support/shell-script.ts'

async function run(lines: string[]): Promise<Beacon> {
  return (await runShellScript(lines, { KNOWLEDGE_REFRESH_DEBOUNCE_MS: '100' })).beacon
}

function counts(beacon: Beacon): Record<string, number> {
  const rows = beacon.ctx.db.$client
    .prepare('select kind, person_id as person, count(*) as n from adoption_events group by kind, person_id')
    .all() as { kind: string; person: string; n: number }[]
  return Object.fromEntries(rows.map((r) => [`${r.kind}:${r.person}`, r.n]))
}

describe('activity from every feature reaches adoption, once, without content', () => {
  it('counts messages, saves, tasks and kudos for the person who did them', async () => {
    const beacon = await run([
      'how do we rotate the on-call?',
      '/as bob',
      '/reply 1 see the runbook, section 4',
      '/react 1 bookmark',
      '/react 1 bookmark',
      '/task update the runbook @alice tomorrow',
      '/kudos @alice thanks for asking the right question #teamwork',
      '/wait 1500',
      '/as alice',
      '/task done T-1',
      '/wait 800',
    ])
    expect(counts(beacon)).toMatchObject({
      'message:alice': 1,
      'reply:bob': 1,
      'knowledge_saved:bob': 1,
      'task_created:bob': 1,
      'task_done:alice': 1,
      'kudos_given:bob': 1,
      'kudos_received:alice': 1,
    })
    // Nothing of what people wrote is stored as activity.
    const dump = JSON.stringify(beacon.ctx.db.$client.prepare('select * from adoption_events').all())
    expect(dump).not.toMatch(/runbook|on-call|right question/)
  })
})
