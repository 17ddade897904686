import { describe, expect, it } from 'vitest'
import type { Capability } from '../../src/core/capability.ts'
import { createDomainEventBus, type TaskFact } from '../../src/core/domain-events.ts'
import { assembleFeatures, type Feature } from '../../src/core/feature.ts'
import { MapPlatformDirectory } from '../../src/core/platform-directory.ts'

const task: TaskFact = {
  id: 7,
  workspace: 'shell:local',
  number: 7,
  title: 'ship it',
  creatorId: 'alice',
  assignees: [{ personId: 'bob', displayName: 'Bob' }],
}

describe('the domain-event bus', () => {
  it('runs every act subscriber before every record one, whatever the order they subscribed in', async () => {
    const bus = createDomainEventBus()
    const ran: string[] = []
    bus.subscribe('task.done', async () => void ran.push('count it'), { phase: 'record' })
    bus.subscribe('task.done', async () => void ran.push('credit 1'))
    bus.subscribe('task.done', async () => void ran.push('credit 2'), { phase: 'act' })
    bus.subscribe('task.created', async () => void ran.push('another event'))
    await bus.publish('task.done', { task })
    expect(ran).toEqual(['credit 1', 'credit 2', 'count it'])
  })

  it('stops at the first subscriber that throws and hands its error to the publisher', async () => {
    const bus = createDomainEventBus()
    const ran: string[] = []
    bus.subscribe('task.done', async () => {
      throw new Error('credit failed')
    })
    bus.subscribe('task.done', async () => void ran.push('count it'), { phase: 'record' })
    await expect(bus.publish('task.done', { task })).rejects.toThrow('credit failed')
    expect(ran).toEqual([])
  })

  it('publishing with nobody listening does nothing', async () => {
    await expect(createDomainEventBus().publish('kudos.given', { kudos: [] })).resolves.toBeUndefined()
  })
})

function feature(name: string, events: Feature['events']): Feature {
  const capability: Capability = { name }
  return { name, capability, registerJobs: () => undefined, scheduleJobs: async () => undefined, events }
}

describe('assembling features', () => {
  it('wires each subscriber to the publisher through the bus, records after acts', async () => {
    const bus = createDomainEventBus()
    const ran: string[] = []
    const counter = feature('counter', {
      publishes: [],
      subscribes: { 'task.done': { phase: 'record', handle: async ({ task: t }) => void ran.push(`count ${t.id}`) } },
    })
    const tasks = feature('tasks', { publishes: ['task.done'], subscribes: {} })
    const thanks = feature('thanks', {
      publishes: [],
      subscribes: { 'task.done': { handle: async ({ task: t }) => void ran.push(`thank ${t.assignees[0]!.personId}`) } },
    })
    const set = assembleFeatures([counter, tasks, thanks], { bus, platforms: new MapPlatformDirectory(), homeOrder: [] })
    await bus.publish('task.done', { task })
    expect(ran).toEqual(['thank bob', 'count 7'])
    expect(set.capabilities.map((c) => c.name)).toEqual(['counter', 'tasks', 'thanks', 'home'])
  })

  it('refuses to start when a feature subscribes to an event no feature publishes', () => {
    const lonely = feature('lonely', { publishes: [], subscribes: { 'kudos.given': { handle: async () => undefined } } })
    expect(() => assembleFeatures([lonely], { bus: createDomainEventBus(), platforms: new MapPlatformDirectory(), homeOrder: [] })).toThrow(
      /lonely subscribes to kudos.given/,
    )
  })
})
