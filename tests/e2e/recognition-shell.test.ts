/**
 * Recognition in the local shell: the same flows as Slack and Teams, typed at a terminal (piped
 * through PassThrough streams exactly as stdin would be), on the real composition root.
 */
import { describe, expect, it } from 'vitest'
import { runShellScript } from '../support/shell-script.ts'

async function script(lines: string[], env: Record<string, string> = {}): Promise<string> {
  return (await runShellScript(lines, env)).out
}

describe('kudos in the local shell', () => {
  it('gives, refuses, reacts, ranks and reports, as on Slack', async () => {
    const out = await script(
      [
        '/kudos @bob for the demo prep #craft',
        '/kudos @alice for being me',
        '/kudos @carol for the fix #speed',
        '/kudos @carol for the fix',
        '/kudos @carol for the review',
        '/as bob',
        'the staging fix is in',
        '/as carol',
        '/react 1 clap',
        '/wait 400',
        '/kudos @bob for the staging fix',
        '/kudos top',
        '/as bob',
        '/kudos me',
        '/kudos help',
      ],
      { KUDOS_DAILY_ALLOWANCE: '2' },
    )
    expect(out).toContain('🎉 Alice gave kudos to Bob: for the demo prep · #craft')
    expect(out).toMatch(/Beacon \(only you\):\n\s+Kudos are for thanking someone else/)
    expect(out).toContain('#speed isn’t one of our values')
    expect(out).toContain('🎉 Alice gave kudos to Carol: for the fix')
    expect(out).toMatch(/You’ve used all 2 of today’s kudos\. Your allowance resets in \d+ h \(.+ 00:00 Europe\/Paris\)/)
    // Carol's reaction to Bob's message #1: a kudos for it, announced once beside it.
    expect(out).toMatch(/Carol gave kudos to Bob: for this message/)
    expect(out.match(/Carol gave kudos to Bob/g)).toHaveLength(2) // the reaction, then the command
    expect(out).toMatch(/1\. Bob — 2 people, 3 kudos\n\s+2\. Carol — 1 person, 1 kudos/)
    expect(out).toContain('This week: received 3 kudos from 2 people, gave 0.')
    expect(out).toContain('/kudos top [week|month|all] [#value] who was thanked by the most different people')
  })
})
