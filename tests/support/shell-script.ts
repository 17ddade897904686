import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach } from 'vitest'
import { createShellAdapter, type ShellAdapter } from '../../adapters/shell/index.ts'
import { composeBeacon, type Beacon } from '../../src/app/compose.ts'
import { loadConfig } from '../../src/app/config.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { Clock } from '../../src/core/ports.ts'
import { tempDataDir } from './run-beacon.ts'

const open: Beacon[] = []
afterEach(async () => {
  for (const b of open.splice(0)) await b.close()
})

export interface ShellScriptOptions {
  /** Beacon's clock (default: the system clock). */
  clock?: Clock
  /** Runs once the shell's workspace exists, before the first line is typed (`beacon demo seed`'s data). */
  before?: (beacon: Beacon) => Promise<void>
}

/**
 * Types `lines` into the local shell exactly as piped stdin would, on the real composition root and
 * a fresh SQLite file, and returns what the shell printed. Closed after each test.
 */
export async function runShellScript(
  lines: string[],
  env: Record<string, string> = {},
  opts: ShellScriptOptions = {},
): Promise<{ out: string; beacon: Beacon }> {
  const input = new PassThrough()
  const output = new PassThrough()
  let out = ''
  output.on('data', (d: Buffer) => (out += d.toString()))
  let shell: ShellAdapter | undefined
  const beacon = await composeBeacon(loadConfig({ DATABASE_PATH: join(tempDataDir(), 'b.db'), ...env }), {
    log: silentLogger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    withoutChatAdapters: true,
    extraAdapters: async (ctx) => [(shell = await createShellAdapter(ctx, { input, output }))],
  })
  open.push(beacon)
  await opts.before?.(beacon)
  input.end(`${lines.join('\n')}\n`)
  await shell!.run()
  return { out, beacon }
}
