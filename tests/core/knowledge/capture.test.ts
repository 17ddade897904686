import { describe, expect, it } from 'vitest'
import { knowledgeCaptureJob, knowledgeRefreshJob } from '../../../src/core/knowledge/index.ts'
import { captureThread } from '../../../src/core/knowledge/capture-thread.ts'
import { SAVED_LIMITS } from '../../../src/core/knowledge/build-item.ts'
import { WS, harness, savedThread } from './harness.ts'

describe('capturing a thread', () => {
  it('saves the whole thread, every page of replies, with names, links, tags and contributors', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'How do we **rotate** the staging DB password? #ops #Security\nMore detail on line two')
    h.platform.say(h.general, 'UDEPLOYBOT', 'Deploy finished', root.threadId)
    h.platform.say(h.general, 'UBOB', 'Use the vault CLI, see [runbook](https://wiki.example.com/runbook)', root.threadId, {
      attachments: [{ name: 'rotate (v2).pdf', url: 'https://files.example.com/rotate (v2).pdf' }],
    })
    for (let i = 0; i < 230; i++) h.platform.say(h.general, i % 2 ? 'UCAROL' : 'UBOB', `reply number ${i}`, root.threadId)

    const turn = await h.react('UCAROL', root)
    expect(turn.replies).toEqual([]) // a reaction gets no reply; the thread gets the confirmation
    expect(h.queue.of('knowledge.capture')).toHaveLength(1)
    await h.queue.drain()
    expect(h.queue.failed).toEqual([])

    expect(h.platform.calls.pages).toBe(3) // 233 messages, 100 a page: every page read, none twice
    const item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.messageCount).toBe(233)
    expect(item.title).toBe('How do we rotate the staging DB password? #ops #Security')
    expect(item.body.split('\n\n')).toHaveLength(233)
    expect(item.body).toMatch(/^\*\*Ada Lovelace\*\* \(2024-04-05 09:01 UTC\): How do we/)
    expect(item.body).toContain('**Bob** (')
    expect(item.body).toContain('[runbook](https://wiki.example.com/runbook)')
    expect(item.body).toContain('- [rotate \\(v2\\).pdf](https://files.example.com/rotate%20%28v2%29.pdf)')
    expect(item.body).toContain('reply number 229')
    expect(item.tags).toEqual(['ops', 'security'])
    expect(item.contributors.map((c) => c.displayName)).toEqual(['Ada Lovelace', 'Bob', 'Carol'])
    expect(item.savers.map((s) => [s.personId, s.via])).toEqual([['UCAROL', 'reaction']])
    expect(item.permalink).toMatch(/^https:\/\/example\.slack\.com\/archives\/CGEN\/p/)
    expect(item.conversation).toEqual({ id: 'CGEN', name: 'general', privacy: 'public' })

    const confirmations = h.platform.posts.filter((p) => p.message.text.startsWith('Saved to knowledge'))
    expect(confirmations).toHaveLength(1)
    expect(confirmations[0]!.target).toMatchObject({ threadId: root.threadId })
    expect(confirmations[0]!.message.text).toContain('— thanks @Ada Lovelace, @Bob, @Carol')
    expect(h.saved).toEqual([{ itemId: item.id, contributors: ['Ada Lovelace', 'Bob', 'Carol'] }])
  })

  it('a thread past the size limits is saved up to them, and the item says what was left out', async () => {
    const h = harness()
    const long = (i: number) => `message ${i} #big ${'lorem ipsum '.repeat(3_400)}`.slice(0, 40_000)
    const root = h.platform.say(h.general, 'UADA', `Runbook dump\n${long(0)}`)
    for (let i = 1; i < 50; i++) h.platform.say(h.general, i % 2 ? 'UBOB' : 'UCAROL', long(i), root.threadId)
    await h.react('UCAROL', root)
    await h.queue.drain()
    expect(h.queue.failed).toEqual([])

    const item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.messageCount).toBe(50)
    expect(item.title).toBe('Runbook dump')
    expect(item.body.length).toBeLessThanOrEqual(SAVED_LIMITS.itemChars + 200)
    const saved = item.body.split('\n\n').length - 1
    expect(saved).toBeGreaterThanOrEqual(9)
    // Every kept message is cut at the per-message limit and says so; the item ends with what is missing.
    expect(item.body).toContain(`more characters not saved)_`)
    expect(item.body).toMatch(
      new RegExp(
        `_…this thread was longer: ${50 - saved} more messages \\([\\d,]+ characters\\) not saved\\. The whole thread is in the conversation\\._$`,
      ),
    )
    expect(item.body).toContain('message 1 #big')
    expect(item.body).not.toContain(`message ${saved} #big`)
    expect(item.tags).toEqual(['big'])
    // Still found by what was kept.
    const found = await h.kb.search.search(WS, 'UBOB', 'runbook dump')
    expect(found.hits.map((x) => x.item.id)).toEqual([item.id])

    // A later reply refreshes the item within the same limits.
    const more = h.platform.say(h.general, 'UBOB', 'one more', root.threadId)
    await h.send({ type: 'message.posted', message: more })
    await h.queue.drain()
    const again = (await h.repo.getByThread(WS, root.threadId))!
    expect(again.messageCount).toBe(51)
    expect(again.body).toMatch(new RegExp(`${51 - saved} more messages`))
  })

  it('a reaction on a reply saves its whole thread (the event has no thread id)', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'Where is the style guide?')
    const reply = h.platform.say(h.general, 'UBOB', 'In the design wiki', root.threadId)
    await h.react('UDAN', reply)
    await h.queue.drain()
    expect(h.platform.calls.threadOf).toBe(1)
    const item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.rootMessageId).toBe(root.id)
    expect(item.title).toBe('Where is the style guide?')
    expect(item.messageCount).toBe(2)
  })

  it('ignores other reactions and honours a configured one', async () => {
    const h = harness({ reaction: 'brain' })
    const root = h.platform.say(h.general, 'UADA', 'Tip of the day')
    await h.react('UBOB', root, 'bookmark')
    expect(h.queue.pending).toHaveLength(0)
    await h.react('UBOB', root, 'brain')
    expect(h.queue.pending).toHaveLength(1)
  })

  it('the message action saves too and answers privately at once', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'Onboarding checklist')
    const turn = await h.send({ type: 'message.action', action: 'save_to_knowledge', person: { workspace: WS, id: 'UBOB' }, message: root })
    expect(turn.replies).toEqual([expect.objectContaining({ text: expect.stringContaining('Saving this thread…'), visibleTo: 'UBOB' })])
    await h.queue.drain()
    expect((await h.repo.getByThread(WS, root.threadId))!.savers.map((s) => s.via)).toEqual(['action'])
  })

  it('one item, one confirmation, one credit: retried events, a second reaction, two savers', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'Release process')
    h.platform.say(h.general, 'UBOB', 'Tag, then run the pipeline', root.threadId)
    const event = {
      eventId: 'EvSame',
      type: 'reaction.added' as const,
      reaction: 'bookmark',
      person: { workspace: WS, id: 'UCAROL' },
      conversation: h.general,
      messageId: root.id,
    }
    await h.send(event)
    await h.send(event) // Slack retry: same event id
    await h.react('UCAROL', root) // the same person reacts again (new event id)
    expect(h.queue.of('knowledge.capture')).toHaveLength(1)
    await h.queue.drain()
    h.clock.advance(5 * 60_000)
    await h.react('UDAN', root) // a second saver
    await h.queue.drain()

    const rows = h.db.$client.prepare('select count(*) n from knowledge_items').get() as { n: number }
    expect(rows.n).toBe(1)
    const item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.savers.map((s) => s.personId)).toEqual(['UCAROL', 'UDAN'])
    expect(h.platform.posts.filter((p) => p.message.text.startsWith('Saved to knowledge'))).toHaveLength(1)
    expect(h.saved).toHaveLength(1)
  })

  it('two capture jobs racing converge on one item and one confirmation', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'Racing thread')
    h.platform.say(h.general, 'UBOB', 'answer', root.threadId)
    await h.react('UCAROL', root)
    await h.react('UDAN', root)
    const jobs = h.queue.of('knowledge.capture')
    expect(jobs).toHaveLength(2)
    await h.queue.runConcurrently(jobs)
    // And two workers running the very same payload (a redelivered job).
    const ctx = h.kb.context
    const data = knowledgeCaptureJob.schema.parse(jobs[0]!.data)
    await Promise.all([
      captureThread(ctx, { ...data, requestedAt: h.clock.now().getTime() + 1 }),
      captureThread(ctx, { ...data, requestedAt: h.clock.now().getTime() + 1 }),
    ])
    expect(h.queue.failed).toEqual([])
    expect((h.db.$client.prepare('select count(*) n from knowledge_items').get() as { n: number }).n).toBe(1)
    expect((await h.repo.getByThread(WS, root.threadId))!.savers).toHaveLength(2)
    expect(h.platform.posts.filter((p) => p.message.text.startsWith('Saved to knowledge'))).toHaveLength(1)
  })

  it('a failed confirmation post is retried, and still posted only once', async () => {
    const h = harness()
    const root = h.platform.say(h.general, 'UADA', 'Flaky network')
    h.platform.failPosts = 1
    await h.react('UBOB', root)
    await h.queue.drain()
    expect(h.queue.failed).toEqual([])
    expect(h.platform.posts.filter((p) => p.message.text.startsWith('Saved to knowledge'))).toHaveLength(1)
    expect((await h.repo.getByThread(WS, root.threadId))!.confirmedAt).toBeDefined()
  })

  it('keeps the item current: replies, edits, deleted replies (debounced), root deletion archives', async () => {
    const h = harness({ refreshDebounceMs: 10_000 })
    const root = await savedThread(h, h.general, [
      ['UADA', 'VPN setup'],
      ['UBOB', 'Install the client'],
    ])
    const fetches = h.platform.calls.fetchThread
    const confirmation = h.platform.posts[0]!.ref

    // Beacon's own confirmation shows up as a reply; it is not knowledge.
    expect((await h.repo.getByThread(WS, root.threadId))!.body).not.toContain('Saved to knowledge')

    const r1 = h.platform.say(h.general, 'UCAROL', 'Then import the profile #vpn', root.threadId)
    await h.send({ type: 'message.posted', message: r1 })
    const r2 = h.platform.say(h.general, 'UDAN', 'Works on Linux too', root.threadId)
    await h.send({ type: 'message.posted', message: r2 })
    h.platform.edit(root, 'VPN setup (2024 edition)')
    await h.send({ type: 'message.edited', message: root })
    await h.send({ type: 'message.posted', message: { ...root, id: confirmation.id, author: { workspace: WS, id: 'UBEACON', isBot: true } } })
    const refreshes = h.queue.of('knowledge.refresh')
    expect(refreshes).toHaveLength(1) // a burst of events, one refresh
    expect(refreshes[0]!.opts.delayMs).toBeGreaterThan(0)
    await h.queue.drain()
    expect(h.platform.calls.fetchThread).toBe(fetches + 1)
    let item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.title).toBe('VPN setup (2024 edition)')
    expect(item.body).toContain('Works on Linux too')
    expect(item.body).toContain('_(edited)_')
    expect(item.tags).toEqual(['vpn'])
    expect(item.contributors.map((c) => c.personId)).toEqual(['UADA', 'UBOB', 'UCAROL', 'UDAN'])

    h.clock.advance(60_000) // next debounce window
    h.platform.remove(r2)
    await h.send({ type: 'message.deleted', conversation: h.general, messageId: r2.id, threadId: root.threadId })
    await h.queue.drain()
    item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.body).not.toContain('Works on Linux too')
    expect(item.status).toBe('active')

    h.platform.remove(root)
    await h.send({ type: 'message.deleted', conversation: h.general, messageId: root.id, threadId: root.threadId })
    item = (await h.repo.getByThread(WS, root.threadId))!
    expect(item.status).toBe('archived')
    expect((await h.kbCommand('UADA', 'vpn')).last!.text).toMatch(/^No saved knowledge/)
  })

  it('a refresh that finds the root gone archives the item; a renamed title survives refreshes', async () => {
    const h = harness()
    const root = await savedThread(h, h.general, [
      ['UADA', 'Original title'],
      ['UBOB', 'reply'],
    ])
    const item = (await h.repo.getByThread(WS, root.threadId))!
    const turn = await h.kbCommand('UADA', `rename ${item.id} A much better title`)
    expect(turn.last!.text).toContain('A much better title')
    h.platform.edit(root, 'Edited root')
    await h.queue.enqueue(knowledgeRefreshJob, { workspace: WS, threadId: root.threadId })
    await h.queue.drain()
    expect((await h.repo.get(WS, item.id))!.title).toBe('A much better title')
    expect((await h.kbCommand('UCAROL', `rename ${item.id} Hijack`)).last!.text).toContain('Only the people')

    h.platform.remove(root)
    await h.queue.enqueue(knowledgeRefreshJob, { workspace: WS, threadId: root.threadId })
    await h.queue.drain()
    expect((await h.repo.get(WS, item.id))!.status).toBe('archived')

    // Saving it again (the thread came back, e.g. restored) reactivates the one item.
    h.platform.threads.get(root.threadId)!.unshift(root)
    h.clock.advance(2 * 3_600_000)
    await h.react('UDAN', root)
    await h.queue.drain()
    expect((await h.repo.get(WS, item.id))!.status).toBe('active')
  })

  it('rejects a thread id from another workspace as a permanent failure', async () => {
    const h = harness()
    await h.queue.enqueue(knowledgeCaptureJob, {
      workspace: WS,
      conversation: { id: 'CGEN' },
      messageId: '1.1',
      threadId: 'slack:T2:CGEN:1.1',
      saver: { id: 'UADA' },
      via: 'reaction',
      requestedAt: 0,
    })
    await h.queue.drain()
    expect(h.queue.failed).toHaveLength(1)
    expect(h.platform.calls.fetchThread).toBe(0)
  })
})
