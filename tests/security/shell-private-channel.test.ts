/**
 * The local shell is where people first meet Beacon, so it must keep the promise too: #leadership
 * is private (Alice and Carol). Bob, who is not in it, tries to post there, read its threads,
 * reply, react, bookmark and turn its messages into tasks; and a saved #leadership answer must
 * never be suggested where others can see it. Typed at the shell, on the real composition root.
 */
import { describe, expect, it } from 'vitest'
import { runShellScript } from '../support/shell-script.ts'

const SECRET = 'we will close the Lisbon office in march'

/** Rows of a table in the shell's SQLite file. */
const count = (beacon: Awaited<ReturnType<typeof runShellScript>>['beacon'], table: string) =>
  (beacon.ctx.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

describe('the shell and a private channel', () => {
  it('a non-member cannot post, read, reply, react, save or make tasks in #leadership; nothing changes', async () => {
    const { out, beacon } = await runShellScript([
      '/as carol',
      '/join #leadership',
      SECRET, // #1
      '/as bob', // Carol was in #leadership; Bob is not a member, so he is not there
      'posting where I stand', // #2
      '/join #leadership',
      '/reply 1 what office?',
      '/thread 1',
      '/react 1 bookmark',
      '/save 1',
      '/totask 1',
      '/wait 300',
    ])
    const bobs = out.slice(out.indexOf('carol in #leadership> /as bob'))
    expect(bobs).toContain('bob in #general> posting where I stand')
    expect(bobs).toContain('[#general] Bob #2: posting where I stand')
    expect(bobs).toContain('#leadership is private and bob is not a member')
    for (const cmd of ['/reply 1', '/thread 1', '/react 1', '/save 1', '/totask 1']) {
      const after = bobs
        .slice(bobs.indexOf(`> ${cmd}`))
        .split('\n')
        .slice(1, 2)
        .join('\n')
      expect(after, cmd).toBe('! There is no message #1.')
    }
    // Bob never saw the text, nothing was saved, no task was made, no reply was added.
    expect(bobs).not.toContain('Lisbon')
    expect(count(beacon, 'knowledge_items')).toBe(0)
    expect(count(beacon, 'tasks')).toBe(0)
    expect(bobs).not.toContain('Bob #3')
  })

  it('an answer saved in #leadership is suggested only to a member who asks, privately, never to the channel', async () => {
    const { out } = await runShellScript([
      '/join #leadership',
      'How do we rotate the payroll export credentials?', // #1, Alice
      '/as carol',
      '/reply 1 Rotate the payroll export credentials in the vault every quarter', // #2
      '/as alice',
      '/react 1 bookmark',
      '/wait 1500', // saving is a job
      '/join #general',
      '/kb suggest on',
      '/as bob',
      'How do we rotate the payroll export credentials?', // Bob may not read #leadership
      '/wait 500',
      '/as alice',
      'How do I rotate the payroll export credentials?', // Alice may, but #general may not
      '/wait 1500', // the suggestion is a job; anything late for Bob would print here too
    ])
    // Bob is told nothing, now or later, privately or in the channel.
    expect(out).toContain('Saved to knowledge: How do we rotate the payroll export credentials?')
    const sinceBob = out.slice(out.indexOf('bob in #general> How do we rotate'))
    expect(sinceBob).not.toContain('(only bob)')
    expect(sinceBob.match(/This may help/g)).toHaveLength(1)
    const aliceAsked = out.slice(out.indexOf('alice in #general> How do I rotate'))
    // Alice is pointed at it, marked as only for her; nobody else in #general gets it.
    expect(aliceAsked).toMatch(/Beacon[^\n]*\(only you\)[^\n]*:\n[\s\S]*How do we rotate the payroll export credentials\?/)
    expect(aliceAsked).not.toMatch(/\[#general[^\]]*\] Beacon #\d+:\n[\s\S]*payroll/)
  })
})
