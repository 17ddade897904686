// Workspaces, people, conversations and event claims: the same behaviour on SQLite and PostgreSQL.
import { expect, it } from 'vitest'
import { contract } from './backends.ts'

contract('core stores', (fresh) => {
  it('keep workspaces apart and update a name in place', async () => {
    const { repos: r } = await fresh()
    await r.workspaces.upsert({ id: 'slack:T1', platform: 'slack', name: 'Acme' })
    await r.workspaces.upsert({ id: 'slack:T1', platform: 'slack', name: 'Acme Inc' })
    expect(await r.workspaces.get('slack:T1')).toEqual({ id: 'slack:T1', platform: 'slack', name: 'Acme Inc' })
    expect(await r.workspaces.get('slack:T2')).toBeUndefined()
  })

  it('keep people scoped by workspace and find them by name regardless of case', async () => {
    const { repos: r } = await fresh()
    await r.people.upsert({ workspace: 'slack:T1', id: 'U1', displayName: 'Zoë Ångström', timezone: 'Europe/Oslo', isBot: false, department: 'Eng' })
    await r.people.upsert({ workspace: 'slack:T2', id: 'U1', displayName: 'Someone Else', timezone: 'UTC', isBot: false })
    expect(await r.people.get('slack:T1', 'U1')).toEqual({
      workspace: 'slack:T1',
      id: 'U1',
      displayName: 'Zoë Ångström',
      timezone: 'Europe/Oslo',
      isBot: false,
      department: 'Eng',
    })
    expect((await r.people.get('slack:T2', 'U1'))?.displayName).toBe('Someone Else')
    expect((await r.people.findByName('slack:T1', 'zoë ångström'))?.id).toBe('U1')
    expect(await r.people.findByName('slack:T2', 'Zoë Ångström')).toBeUndefined()
    expect(await r.people.departments('slack:T1')).toEqual(new Map([['U1', 'Eng']]))
    // A refresh without a department clears it.
    await r.people.upsert({ workspace: 'slack:T1', id: 'U1', displayName: 'Zoë A.', timezone: 'Europe/Oslo', isBot: false })
    expect(await r.people.get('slack:T1', 'U1')).toEqual({
      workspace: 'slack:T1',
      id: 'U1',
      displayName: 'Zoë A.',
      timezone: 'Europe/Oslo',
      isBot: false,
    })
    expect(await r.people.departments('slack:T1')).toEqual(new Map())
  })

  it('forget everything of a removed workspace and nothing of another', async () => {
    const { repos: r } = await fresh()
    for (const ws of ['slack:T1', 'slack:T2']) {
      await r.workspaces.upsert({ id: ws, platform: 'slack', name: ws })
      await r.conversations.upsert({ workspace: ws, id: 'C1', name: 'general', privacy: 'public' })
      await r.people.upsert({ workspace: ws, id: 'U1', displayName: 'Ada', timezone: 'UTC', isBot: false })
      await r.processedEvents.claim(ws, 'Ev1', new Date())
      await r.knowledge.upsert(
        {
          workspace: ws,
          threadId: `${ws}:C1:1.1`,
          conversation: { id: 'C1', name: 'general', privacy: 'public' },
          rootMessageId: '1.1',
          title: 'Deploy notes',
          body: 'b',
          searchText: 'deploy',
          tags: ['ops'],
          contributors: [{ personId: 'U1', displayName: 'Ada' }],
          messageCount: 1,
        },
        { now: new Date(), saver: { personId: 'U1', via: 'reaction' }, reactivate: true },
      )
    }
    await r.workspaces.remove('slack:T1')
    expect(await r.workspaces.get('slack:T1')).toBeUndefined()
    expect(await r.conversations.get('slack:T1', 'C1')).toBeUndefined()
    expect(await r.people.get('slack:T1', 'U1')).toBeUndefined()
    expect(await r.knowledge.recent('slack:T1', { limit: 5 })).toEqual([])
    expect(await r.conversations.get('slack:T2', 'C1')).toEqual({ workspace: 'slack:T2', id: 'C1', name: 'general', privacy: 'public' })
    expect((await r.knowledge.recent('slack:T2', { limit: 5 })).map((i) => i.title)).toEqual(['Deploy notes'])
    expect(await r.processedEvents.claim('slack:T1', 'Ev1', new Date())).toBe(true)
    expect(await r.processedEvents.claim('slack:T2', 'Ev1', new Date())).toBe(false)
  })

  it('claim an event exactly once among many concurrent claimers', async () => {
    const { repos: r } = await fresh()
    const claims = await Promise.all(Array.from({ length: 20 }, () => r.processedEvents.claim('slack:T1', 'EvRace', new Date())))
    expect(claims.filter(Boolean)).toHaveLength(1)
  })

  it('purge old event claims only', async () => {
    const { repos: r } = await fresh()
    await r.processedEvents.claim('slack:T1', 'old', new Date('2026-01-01'))
    await r.processedEvents.claim('slack:T1', 'new', new Date('2026-06-01'))
    expect(await r.processedEvents.purgeBefore(new Date('2026-03-01'))).toBe(1)
    expect(await r.processedEvents.claim('slack:T1', 'old', new Date())).toBe(true)
    expect(await r.processedEvents.claim('slack:T1', 'new', new Date())).toBe(false)
  })
})
