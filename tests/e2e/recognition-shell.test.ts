/**
 * Recognition in the local shell: the same flows as Slack and Teams, typed at a terminal (piped
 * through PassThrough streams exactly as stdin would be), on the real composition root.
 */
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createShellAdapter, type ShellAdapter } from '../../adapters/shell/index.ts'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import { tempDataDir } from '../support/run-beacon.ts'

const open: Beacon[] = []
afterEach(async () => {
  for (const b of open.splice(0)) await b.close()
})

async function script(lines: string[], env: Record<string, string> = {}): Promise<string> {
  const input = new PassThrough()
  const output = new PassThrough()
  let out = ''
  output.on('data', (d: Buffer) => (out += d.toString()))
  let shell: ShellAdapter | undefined
  const beacon = await composeBeacon(loadConfig({ DATABASE_PATH: join(tempDataDir(), 'b.db'), ...env }), {
    log: silentLogger,
    withoutChatAdapters: true,
    extraAdapters: async (ctx) => [(shell = await createShellAdapter(ctx, { input, output }))],
  })
  open.push(beacon)
  input.end(lines.join('\n') + '\n')
  await shell!.run()
  return out
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
