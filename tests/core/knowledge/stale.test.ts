import { describe, expect, it } from 'vitest'
import { knowledgeStaleScanJob } from '../../../src/core/knowledge/index.ts'
import type { Outbound } from '../../../src/core/outbound.ts'
import { WS, harness } from './harness.ts'
import { seedItem } from './seed.ts'

const DAY = 86_400_000

describe('stale knowledge', () => {
  async function setup(staleAfterDays?: number) {
    const h = harness(staleAfterDays ? { staleAfterDays } : {})
    const t0 = h.clock.now()
    const old = await seedItem(h.repo, { title: 'Old wiki migration notes', saver: 'UBOB', now: new Date(t0.getTime() - 200 * DAY) })
    const fresh = await seedItem(h.repo, { title: 'Fresh onboarding tips', saver: 'UBOB', now: new Date(t0.getTime() - 10 * DAY) })
    const viewed = await seedItem(h.repo, { title: 'Old but popular', saver: 'UBOB', now: new Date(t0.getTime() - 400 * DAY) })
    await h.repo.markViewed([viewed.id], new Date(t0.getTime() - 5 * DAY))
    return { h, old, fresh, viewed }
  }

  const dms = (posts: { target: unknown; message: Outbound }[]) => posts.filter((p) => p.message.card?.title === 'Still useful?')

  it('asks the saver once about items neither viewed nor updated in N days, with Keep / Archive buttons', async () => {
    const { h, old } = await setup()
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    const asked = dms(h.platform.posts)
    expect(asked).toHaveLength(1)
    expect(asked[0]!.target).toEqual({ dmTo: { workspace: WS, id: 'UBOB' } })
    expect(asked[0]!.message.text).toContain('Old wiki migration notes')
    expect(asked[0]!.message.card!.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [
        { actionId: 'kb:keep', label: 'Keep', value: String(old.id), style: 'primary' },
        { actionId: 'kb:archive', label: 'Archive', value: String(old.id), style: 'danger' },
      ],
    })
    await h.queue.runNow(knowledgeStaleScanJob.name, {}) // the next day's sweep does not nag
    expect(dms(h.platform.posts)).toHaveLength(1)
  })

  it('the period is configurable (deps and job data)', async () => {
    const { h } = await setup(5)
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    expect(dms(h.platform.posts)).toHaveLength(2)
    const other = await setup()
    await other.h.queue.runNow(knowledgeStaleScanJob.name, { days: 500 })
    expect(dms(other.h.platform.posts)).toHaveLength(0)
  })

  it('Keep keeps it quiet for another period; Archive hides it from search', async () => {
    const { h, old } = await setup()
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    const keep = await h.send({ type: 'button', actionId: 'kb:keep', value: String(old.id), person: { workspace: WS, id: 'UBOB' } })
    expect(keep.replaced[0]!.text).toContain('Kept')
    h.clock.advance(100 * DAY)
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    expect(dms(h.platform.posts)).toHaveLength(1)
    h.clock.advance(100 * DAY)
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    expect(dms(h.platform.posts).length).toBeGreaterThan(1)

    expect((await h.kb.search.search(WS, 'UBOB', 'wiki migration')).hits).toHaveLength(1)
    const archive = await h.send({ type: 'button', actionId: 'kb:archive', value: String(old.id), person: { workspace: WS, id: 'UBOB' } })
    expect(archive.replaced[0]!.text).toContain('Archived')
    expect((await h.repo.get(WS, old.id))!.status).toBe('archived')
    expect((await h.kb.search.search(WS, 'UBOB', 'wiki migration')).hits).toHaveLength(0)
  })

  it('buttons are checked: strangers, bad values, other workspaces', async () => {
    const { h, old } = await setup()
    const stranger = await h.send({ type: 'button', actionId: 'kb:archive', value: String(old.id), person: { workspace: WS, id: 'UDAN' } })
    expect(stranger.last!.text).toContain('Only the people')
    const bad = await h.send({ type: 'button', actionId: 'kb:archive', value: 'DROP TABLE', person: { workspace: WS, id: 'UBOB' } })
    expect(bad.last!.text).toContain('no longer points')
    const other = await h.send({
      type: 'button',
      actionId: 'kb:archive',
      value: String(old.id),
      workspace: 'slack:T2',
      person: { workspace: 'slack:T2', id: 'UBOB' },
    })
    expect(other.last!.text).toContain('no longer exists')
    expect((await h.repo.get(WS, old.id))!.status).toBe('active')
  })

  it('an unreachable saver does not stop the sweep', async () => {
    const { h } = await setup(5)
    h.platform.failPosts = 1
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    expect(dms(h.platform.posts)).toHaveLength(1)
  })

  it('never DMs a private item to a saver who has left its channel', async () => {
    const h = harness()
    const t0 = h.clock.now()
    await seedItem(h.repo, {
      title: 'Secret roadmap',
      saver: 'UDAN',
      conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' },
      now: new Date(t0.getTime() - 200 * DAY),
    })
    await h.queue.runNow(knowledgeStaleScanJob.name, {})
    expect(dms(h.platform.posts)).toHaveLength(0)
  })

  it('is scheduled daily', async () => {
    const { h } = await setup()
    await h.kb.scheduleJobs()
    expect(h.queue.schedules).toEqual([{ name: 'knowledge.stale-scan', cron: '0 9 * * *', data: {} }])
  })
})

describe('App Home section', () => {
  it('shows recent items the person may see and their own saves', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Public tip', saver: 'UBOB' })
    await seedItem(h.repo, { title: 'Secret plan', saver: 'UADA', conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' } })
    await seedItem(h.repo, { title: 'Dan’s own tip', saver: 'UDAN' })
    const text = (await h.kb.homeSection(WS, 'UDAN')).map((b) => ('text' in b ? b.text : '---')).join('\n')
    expect(text).toContain('Public tip')
    expect(text).not.toContain('Secret plan')
    const [, mine] = text.split('**Your saved items**')
    expect(mine).toContain('Dan’s own tip')
    expect(mine).not.toContain('Public tip')
    const empty = harness()
    expect((await empty.kb.homeSection(WS, 'UDAN')).map((b) => ('text' in b ? b.text : '')).join('\n')).toContain('Nothing saved yet')
  })
})
