import { describe, expect, it } from 'vitest'
import type { Capability } from '../../src/core/capability.ts'
import { Dispatcher } from '../../src/core/dispatcher.ts'
import { BeaconError } from '../../src/core/errors.ts'
import type { CommandInvoked, InboundEvent } from '../../src/core/events.ts'
import { silentLogger } from '../../src/core/logger.ts'
import type { Outbound } from '../../src/core/outbound.ts'
import type { Turn } from '../../src/core/ports.ts'
import { openMemoryDb } from '../../src/storage/db.ts'
import { SqliteProcessedEventRepository } from '../../src/storage/repositories/processed-events.ts'

const ws = 'slack:T1'
const person = { workspace: ws, id: 'U1' }
const conversation = { workspace: ws, id: 'C1' }

function command(
  text: string,
  cmd: CommandInvoked['command'] = 'kb',
  eventId = `e-${Math.random()}`,
  platform: 'slack' | 'teams' = 'slack',
): CommandInvoked {
  return { type: 'command', eventId, workspace: ws, platform, at: new Date(), command: cmd, text, person, conversation }
}

function recordingTurn(): Turn & { replies: Outbound[] } {
  const replies: Outbound[] = []
  return { replies, reply: async (m) => void replies.push(m) }
}

function setup(caps: Capability[]) {
  return new Dispatcher(caps, new SqliteProcessedEventRepository(openMemoryDb()), silentLogger)
}

const kb: Capability & { calls: string[] } = {
  name: 'knowledge',
  calls: [],
  prefix: 'kb',
  commands: {
    kb: {
      summary: 'finds saved knowledge',
      help: [{ usage: '<words>', summary: 'search' }],
      run: async (e, turn) => {
        kb.calls.push(e.text)
        if (e.text === 'boom') throw new Error('database exploded: secret details')
        if (e.text === 'bad') throw new BeaconError('bad_input', 'bad', { userMessage: 'That search needs a word.' })
        await turn.reply({ text: `found ${e.text}` })
      },
    },
  },
  onButton: async (e, turn) => turn.reply({ text: `clicked ${e.actionId}=${e.value}` }),
}

describe('Dispatcher', () => {
  it('routes a command to the capability that owns it', async () => {
    const turn = recordingTurn()
    expect(await setup([kb]).dispatch(command('onboarding'), turn)).toBe('handled')
    expect(turn.replies.map((r) => r.text)).toEqual(['found onboarding'])
  })

  it('processes a retried event once', async () => {
    const d = setup([kb])
    const turn = recordingTurn()
    expect(await d.dispatch(command('x', 'kb', 'Ev1'), turn)).toBe('handled')
    expect(await d.dispatch(command('x', 'kb', 'Ev1'), turn)).toBe('duplicate')
    expect(turn.replies).toHaveLength(1)
  })

  it('answers help with every command, slash-prefixed on Slack and bare on Teams', async () => {
    const turn = recordingTurn()
    await setup([kb]).dispatch(command('', 'help'), turn)
    expect(turn.replies[0]?.text).toContain('`/kb` finds saved knowledge')
    expect(turn.replies[0]?.visibleTo).toBe('U1')
    const teams = recordingTurn()
    await setup([kb]).dispatch(command('help', 'beacon', 'e2', 'teams'), teams)
    expect(teams.replies[0]?.text).toContain('`kb` finds saved knowledge')
  })

  it('answers "<command> help" with that command’s usage', async () => {
    const turn = recordingTurn()
    await setup([kb]).dispatch(command('help'), turn)
    expect(turn.replies[0]?.text).toContain('`/kb <words>` search')
  })

  it('says politely when a command is not available', async () => {
    const turn = recordingTurn()
    expect(await setup([kb]).dispatch(command('x', 'task'), turn)).toBe('unhandled')
    expect(turn.replies[0]?.text).toMatch(/`\/task` isn’t available/)
  })

  it('turns a failure into a friendly private reply without internals', async () => {
    const turn = recordingTurn()
    expect(await setup([kb]).dispatch(command('boom'), turn)).toBe('failed')
    expect(turn.replies[0]?.text).toMatch(/something went wrong.*nothing was changed/i)
    expect(turn.replies[0]?.text).not.toContain('secret')
    const turn2 = recordingTurn()
    await setup([kb]).dispatch(command('bad'), turn2)
    expect(turn2.replies[0]).toEqual({ text: 'That search needs a word.', visibleTo: 'U1' })
  })

  it('routes buttons by the prefix of their action id', async () => {
    const turn = recordingTurn()
    const click: InboundEvent = {
      type: 'button',
      eventId: 'b1',
      workspace: ws,
      platform: 'slack',
      at: new Date(),
      actionId: 'kb:keep',
      value: '42',
      person,
    }
    await setup([kb]).dispatch(click, turn)
    expect(turn.replies[0]?.text).toBe('clicked kb:keep=42')
    const other: InboundEvent = { ...click, eventId: 'b2', actionId: 'zz:nope' }
    expect(await setup([kb]).dispatch(other, recordingTurn())).toBe('unhandled')
  })

  it('keeps delivering an event to other listeners when one fails', async () => {
    const seen: string[] = []
    const a: Capability = {
      name: 'a',
      on: {
        'message.posted': async () => {
          throw new Error('a failed')
        },
      },
    }
    const b: Capability = { name: 'b', on: { 'message.posted': async (e) => void seen.push(e.message.text) } }
    const msg: InboundEvent = {
      type: 'message.posted',
      eventId: 'm1',
      workspace: ws,
      platform: 'slack',
      at: new Date(),
      message: { id: '1', threadId: 'slack:T1:C1:1', conversation, author: person, text: 'hello', at: new Date() },
    }
    expect(await setup([a, b]).dispatch(msg, recordingTurn())).toBe('handled')
    expect(seen).toEqual(['hello'])
  })
})
