import { describe, expect, it } from 'vitest'
import { contentTerms, looksLikeQuestion, scoreQuestion } from '../../../src/core/knowledge/suggestions.ts'
import type { ConversationRef } from '../../../src/core/model.ts'
import { WS, harness, type Harness } from './harness.ts'
import { seedItem } from './seed.ts'

async function setup() {
  const h = harness()
  await seedItem(h.repo, {
    title: 'Rotating the staging database password',
    body: 'Ada: how do we rotate the staging database password? Bob: run vault write database/rotate-role/staging, then restart the api pods.',
  })
  await seedItem(h.repo, { title: 'Lunch places near the office', body: 'The ramen place on 5th is good.' })
  await seedItem(h.repo, {
    title: 'Acquisition data room access',
    body: 'How to get access to the acquisition data room: ask legal.',
    conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' },
  })
  for (let i = 0; i < 20; i++)
    await seedItem(h.repo, { title: `Team update ${i}`, body: `weekly team update number ${i} about the office and staging plans` })
  return h
}

async function ask(h: Harness, person: string, text: string, conv: ConversationRef = h.general) {
  const m = h.platform.say(conv, person, text)
  await h.send({ type: 'message.posted', message: m })
  await h.queue.drain()
  return h.platform.posts.filter((p) => p.message.text.startsWith('This may help'))
}

describe('answer suggestions', () => {
  it('recognises questions', () => {
    expect(looksLikeQuestion('How do I rotate the staging password')).toBe(true)
    expect(looksLikeQuestion('anyone know where the VPN config lives')).toBe(true)
    expect(looksLikeQuestion('the build is red again?')).toBe(true)
    expect(looksLikeQuestion('Deployed the new build to staging.')).toBe(false)
    expect(looksLikeQuestion('ok?')).toBe(false)
    expect(contentTerms('Hey, how do I rotate the Staging DB pásswörd? https://x.y/z <@U1>')).toEqual(['rotate', 'staging', 'db', 'password'])
  })

  it('scores are normalised: a paraphrase of a saved question scores high, an unrelated one low', async () => {
    const h = await setup()
    const good = (await scoreQuestion(h.kb.context, WS, 'UDAN', 'How can I rotate the staging database password?'))!
    expect(good.item.title).toBe('Rotating the staging database password')
    expect(good.score).toBeGreaterThan(0.9)
    const weak = await scoreQuestion(h.kb.context, WS, 'UDAN', 'Is the staging kubernetes cluster down again?')
    expect(weak?.score ?? 0).toBeLessThan(0.6)
    expect(await scoreQuestion(h.kb.context, WS, 'UDAN', 'what?')).toBeUndefined()
  })

  it('only in channels that opted in, only for strong matches, privately, right under the question', async () => {
    const h = await setup()
    expect(await ask(h, 'UDAN', 'How do I rotate the staging database password?')).toHaveLength(0) // not opted in
    const on = await h.kbCommand('UCAROL', 'suggest on')
    expect(on.last!.text).toContain('Answer suggestions are on in #general')
    expect((await h.kbCommand('UCAROL', 'suggest')).last!.text).toContain('**on**')

    const posts = await ask(h, 'UDAN', 'How do I rotate the staging database password?')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.message.visibleTo).toBe('UDAN')
    expect(posts[0]!.message.text).toContain('[Rotating the staging database password](https://')
    // Ephemeral under the question in the channel: an ephemeral in a thread without replies is not shown.
    expect(posts[0]!.target).toEqual({ conversation: { workspace: expect.any(String), id: 'CGEN' } })

    expect(await ask(h, 'UDAN', 'Is the staging kubernetes cluster down again?')).toHaveLength(1) // weak: nothing new
    expect(await ask(h, 'UDAN', 'Rotated the staging database password today.')).toHaveLength(1) // not a question

    await h.kbCommand('UCAROL', 'suggest off')
    expect(await ask(h, 'UDAN', 'How do I rotate the staging database password?')).toHaveLength(1)
  })

  it('without private messages (Teams): a thread reply for what the channel may read, privately otherwise', async () => {
    const h = await setup()
    Object.assign(h.platform, { caps: { ...h.platform.caps, ephemeral: false } })
    await h.kbCommand('UADA', 'suggest on')
    const [fromHere] = await ask(h, 'UDAN', 'How do I rotate the staging database password?')
    expect(fromHere!.message.visibleTo).toBeUndefined()
    expect(fromHere!.target).toMatchObject({ conversation: { id: 'CGEN' }, threadId: expect.any(String) })
    const posts = await ask(h, 'UBOB', 'How do I get access to the acquisition data room?')
    // Saved in a private channel most of #general is not in: only Bob may hear of it.
    expect(posts.at(-1)!.message.visibleTo).toBe('UBOB')
    expect(posts.at(-1)!.message.text).toContain('Acquisition data room access')
  })

  it('never suggests an item the asker may not see', async () => {
    const h = await setup()
    await h.kbCommand('UADA', 'suggest on')
    expect(await ask(h, 'UDAN', 'How do I get access to the acquisition data room?')).toHaveLength(0)
    expect(await ask(h, 'UBOB', 'How do I get access to the acquisition data room?')).toHaveLength(1)
  })

  it('ignores replies in threads and bots', async () => {
    const h = await setup()
    await h.kbCommand('UADA', 'suggest on')
    const root = h.platform.say(h.general, 'UADA', 'Ops questions thread')
    const reply = h.platform.say(h.general, 'UDAN', 'How do I rotate the staging database password?', root.threadId)
    await h.send({ type: 'message.posted', message: reply })
    const bot = h.platform.say(h.general, 'UDEPLOYBOT', 'How do I rotate the staging database password?')
    await h.send({ type: 'message.posted', message: bot })
    expect(h.queue.of('knowledge.suggest')).toHaveLength(0)
  })
})
