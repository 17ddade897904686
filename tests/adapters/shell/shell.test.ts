import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createShellAdapter, type ShellAdapter } from '../../../adapters/shell/index.ts'
import { composeBeacon, type Beacon } from '../../../src/app/compose.ts'
import { loadConfig } from '../../../src/app/config.ts'
import { silentLogger } from '../../../src/core/logger.ts'
import { tempDataDir } from '../../support/run-beacon.ts'

const open: Beacon[] = []
afterEach(async () => {
  for (const b of open.splice(0)) await b.close()
})

/** Runs a script through the shell exactly as piped stdin would, returning what it printed. */
async function script(lines: string[]): Promise<{ out: string; beacon: Beacon }> {
  const input = new PassThrough()
  const output = new PassThrough()
  let out = ''
  output.on('data', (d: Buffer) => (out += d.toString()))
  let shell: ShellAdapter | undefined
  const beacon = await composeBeacon(loadConfig({ DATABASE_PATH: join(tempDataDir(), 'b.db') }), {
    log: silentLogger,
    withoutChatAdapters: true,
    extraAdapters: async (ctx) => [(shell = await createShellAdapter(ctx, { input, output }))],
  })
  open.push(beacon)
  input.end(lines.join('\n') + '\n')
  await shell!.run()
  return { out, beacon }
}

describe('local shell', () => {
  it('posts messages and threaded replies, and shows a whole thread', async () => {
    const { out } = await script(['where is the VPN guide?', '/as bob', '/reply 1 in the wiki, under IT', '/thread 1'])
    expect(out).toContain('[#general] Alice #1: where is the VPN guide?')
    expect(out).toContain('[#general ↳ thread #1] Bob #2: in the wiki, under IT')
    const thread = out.slice(out.lastIndexOf('/thread 1'))
    expect(thread).toMatch(/Alice #1: where is the VPN guide\?\n.*Bob #2: in the wiki, under IT/)
  })

  it('keeps private channels private: only members can join', async () => {
    const { out } = await script(['/as bob', '/join #leadership', '/as carol', '/join leadership', 'budget is approved'])
    expect(out).toContain('#leadership is private and bob is not a member')
    expect(out).toContain('[#leadership] Carol #1: budget is approved')
  })

  it('lets people edit and delete only their own messages', async () => {
    const { out } = await script(['hello', '/as dave', '/edit 1 hijacked', '/delete 1', '/as alice', '/edit 1 hello all'])
    expect(out.match(/You can only edit your own messages/g)).toHaveLength(1)
    expect(out).toContain('You can only delete your own messages')
    expect(out).toContain('(#1 edited)')
  })

  it('answers Beacon help privately and explains mistakes without stopping', async () => {
    const { out } = await script(['/help', '/frobnicate', '/reply', '/react 99 bookmark', '/as nobody', 'still here'])
    expect(out).toMatch(/Beacon \(only you\):\n\s+Beacon help/)
    expect(out).toContain('Unknown command /frobnicate')
    expect(out).toContain('Usage: /reply <#id> <text>')
    expect(out).toContain('There is no message #99')
    expect(out).toContain('No such person: nobody')
    expect(out).toContain('Alice #1: still here')
  })

  it('takes odd unicode and very long lines as ordinary text', async () => {
    const long = 'ж'.repeat(5000)
    const { out } = await script(['👩🏽‍💻 résumé ‏שלום‎ 你好 \u0000', long])
    expect(out).toContain('Alice #1: 👩🏽‍💻 résumé')
    expect(out).toContain(`Alice #2: ${long}`)
  })
})
