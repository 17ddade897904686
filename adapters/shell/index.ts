import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import type { Adapter, AdapterHost } from '../../src/core/adapter-host.ts'
import { ShellSession } from './shell-session.ts'
import { SHELL_PEOPLE, SHELL_WORKSPACE, ShellWorld } from './shell-world.ts'

export interface ShellAdapter extends Adapter {
  /** Reads lines until end of input or /quit. */
  run(): Promise<void>
}

/**
 * A terminal chat in the spirit of hubot's shell, driving the same core as Slack and Teams.
 * On a TTY it shows a prompt; with piped input it reads line by line, so it can be scripted.
 */
export async function createShellAdapter(ctx: AdapterHost, io: { input: Readable; output: Writable }): Promise<ShellAdapter> {
  const write = (line: string) => io.output.write(`${line}\n`)
  let session: ShellSession | undefined
  const world = new ShellWorld((d) => session?.show(d))
  session = new ShellSession(ctx, world, write)

  await ctx.repos.workspaces.upsert({ id: SHELL_WORKSPACE, platform: 'shell', name: 'Local shell' })
  for (const p of SHELL_PEOPLE) await ctx.repos.people.upsert(p)
  for (const c of world.channels.values()) await ctx.repos.conversations.upsert(c)

  const tty = 'isTTY' in io.input && io.input.isTTY === true
  let rl: ReturnType<typeof createInterface> | undefined
  return {
    platform: world,
    async start() {},
    async stop() {
      rl?.close()
    },
    async run() {
      const s = session!
      rl = createInterface({ input: io.input, output: io.output, terminal: tty, prompt: s.prompt() })
      if (tty) {
        write('Beacon local shell. Type /help for Beacon, /? for shell commands, /quit to leave.')
        rl.prompt()
      }
      // Lines are handled one at a time, in order, so a script behaves like a person typing.
      for await (const line of rl) {
        if (!tty && line.trim()) write(`${s.prompt()}${line}`)
        if ((await s.handle(line)) === 'quit') break
        if (tty) {
          rl.setPrompt(s.prompt())
          rl.prompt()
        }
      }
      rl.close()
    },
  }
}
