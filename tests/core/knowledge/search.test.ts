import { describe, expect, it } from 'vitest'
import { buildMatch, parseQuery } from '../../../src/core/knowledge/search-query.ts'
import { OTHER_WS, WS, harness } from './harness.ts'
import { seedItem } from './seed.ts'

describe('/kb search', () => {
  it('ranks a title match above a body match and marks the hit in a bold snippet', async () => {
    const h = harness()
    await seedItem(h.repo, {
      title: 'Lunch options nearby',
      body: 'Somewhere in this long story we mention kubernetes once, among many other words about food.',
    })
    await seedItem(h.repo, { title: 'Kubernetes upgrade runbook', body: 'Drain the nodes first, then upgrade the control plane.' })
    const turn = await h.kbCommand('UBOB', 'kubernetes')
    const out = turn.last!
    expect(out.visibleTo).toBe('UBOB')
    const texts = out.card!.blocks.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text)
    expect(texts[1]).toMatch(/^\[Kubernetes upgrade runbook\]\(https:/)
    expect(texts[2]).toContain('**kubernetes**')
    const buttons = out.card!.blocks.filter((b) => b.type === 'actions')
    // Open, then "Did this answer it?" 👍/👎 (counted by impact).
    expect(buttons[0]).toMatchObject({
      buttons: [
        { label: 'Open in Slack', url: expect.stringMatching(/^https:/) },
        { actionId: 'impact:helpful' },
        { actionId: 'impact:not-helpful' },
      ],
    })
    expect(out.text).toContain('#general')
  })

  it('matches prefixes of every word, ignores accents and case', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Déploiement en production', body: 'Étapes du déploiement' })
    await seedItem(h.repo, { title: 'Deploying the billing service', body: 'Use the pipeline' })
    expect((await h.kb.search.search(WS, 'UADA', 'DEPL')).hits).toHaveLength(2)
    expect((await h.kb.search.search(WS, 'UADA', 'deploiement prod')).hits.map((x) => x.item.title)).toEqual(['Déploiement en production'])
    expect((await h.kb.search.search(WS, 'UADA', 'bill serv')).hits.map((x) => x.item.title)).toEqual(['Deploying the billing service'])
  })

  it('falls back to any word when no item has them all, and says so', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Expense reports', body: 'Submit receipts monthly' })
    const turn = await h.kbCommand('UADA', 'expense unicorn')
    expect(turn.last!.text).toContain('Nothing matched every word')
    expect(turn.last!.text).toContain('Expense reports')
  })

  it('filters by channel, contributor and tag, alone or with words', async () => {
    const h = harness()
    const eng = { id: 'CENG', name: 'Engineering', privacy: 'public' as const }
    await seedItem(h.repo, { title: 'Release checklist', tags: ['release'], conversation: eng, contributors: [['UBOB', 'Bob']] })
    await seedItem(h.repo, { title: 'Release party', tags: ['fun'], contributors: [['UADA', 'Ada Lovelace']] })
    const titles = async (q: string) => (await h.kb.search.search(WS, 'UADA', q)).hits.map((x) => x.item.title).sort()
    expect(await titles('release in:#engineering')).toEqual(['Release checklist'])
    expect(await titles('release in:<#CENG|engineering>')).toEqual(['Release checklist'])
    expect(await titles('release from:@bob')).toEqual(['Release checklist'])
    expect(await titles('from:<@UADA>')).toEqual(['Release party'])
    expect(await titles('from:@ada')).toEqual(['Release party']) // first name
    expect(await titles('from:"@Ada Lovelace"')).toEqual(['Release party'])
    expect(await titles('tag:#fun')).toEqual(['Release party'])
    expect(await titles('TAG:release release')).toEqual(['Release checklist'])
    expect(await titles('release in:#nowhere')).toEqual([])
  })

  it('records a view for every item shown', async () => {
    const h = harness()
    const item = await seedItem(h.repo, { title: 'Holiday calendar' })
    expect(item.lastViewedAt).toBeUndefined()
    await h.kbCommand('UBOB', 'holiday')
    expect((await h.repo.get(WS, item.id))!.lastViewedAt).toEqual(h.clock.now())
  })

  it('shows the results alone when recording the views fails afterwards', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Holiday calendar' })
    h.repo.markViewed = () => Promise.reject(new Error('database is locked'))
    const turn = await h.kbCommand('UBOB', 'holiday')
    expect(turn.replies.map((r) => r.text)).toEqual([expect.stringContaining('Holiday calendar')])
  })

  it('`/kb` alone shows help and recent items; `/kb help` comes from the dispatcher', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Wifi password' })
    const alone = (await h.kbCommand('UBOB', '')).last!
    expect(alone.text).toContain('/kb <words>')
    expect(alone.text).toContain('Wifi password')
    expect(alone.text).toContain(':bookmark:')
    const help = (await h.kbCommand('UBOB', 'help')).last!
    expect(help.text).toContain('/kb suggest on|off')
    expect(help.text).toContain('in:#channel')
  })

  it('never crosses workspaces', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Shared secret sauce', workspace: OTHER_WS })
    expect((await h.kb.search.search(WS, 'UADA', 'sauce')).hits).toEqual([])
    expect((await h.kb.search.search(OTHER_WS, 'UEVE', 'sauce')).hits).toHaveLength(1)
  })
})

describe('private items: the permission matrix', () => {
  async function setup() {
    const h = harness()
    await seedItem(h.repo, { title: 'Acquisition plan', conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' } })
    await seedItem(h.repo, { title: 'Acquisition rumours FAQ', conversation: { id: 'CGEN', name: 'general', privacy: 'public' } })
    await seedItem(h.repo, { title: 'Acquisition notes in a DM', conversation: { id: 'DADA', name: 'dm', privacy: 'direct' } })
    await seedItem(h.repo, {
      title: 'Acquisition elsewhere',
      workspace: OTHER_WS,
      conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' },
    })
    h.platform.channel(WS, 'DADA', 'dm', 'direct', ['UADA', 'UCAROL'])
    h.platform.channel(OTHER_WS, 'CSEC', 'secret-project', 'private', ['UADA', 'UEVE'])
    const titles = async (person: string, ws = WS) => (await h.kb.search.search(ws, person, 'acquisition', 10)).hits.map((x) => x.item.title).sort()
    return { h, titles }
  }

  it.each([
    ['member of the private channel and the DM', 'UADA', ['Acquisition notes in a DM', 'Acquisition plan', 'Acquisition rumours FAQ']],
    ['member of the private channel only', 'UBOB', ['Acquisition plan', 'Acquisition rumours FAQ']],
    ['member of the DM only', 'UCAROL', ['Acquisition notes in a DM', 'Acquisition rumours FAQ']],
    ['non-member', 'UDAN', ['Acquisition rumours FAQ']],
  ])('%s', async (_label, person, expected) => {
    const { titles } = await setup()
    expect(await titles(person)).toEqual(expected)
  })

  it('other workspace: its own members see only their own items, never ours', async () => {
    const { titles } = await setup()
    expect(await titles('UEVE', OTHER_WS)).toEqual(['Acquisition elsewhere'])
    expect(await titles('UEVE', WS)).toEqual(['Acquisition rumours FAQ']) // only public ones of the workspace searched
  })

  it('re-checks membership at search time, cached for a minute', async () => {
    const { h, titles } = await setup()
    expect(await titles('UDAN')).not.toContain('Acquisition plan')
    h.platform.join(WS, 'CSEC', 'UDAN')
    const calls = h.platform.calls.isMember
    expect(await titles('UDAN')).not.toContain('Acquisition plan') // cached "no"
    expect(h.platform.calls.isMember).toBe(calls)
    h.clock.advance(61_000)
    expect(await titles('UDAN')).toContain('Acquisition plan')
    h.platform.join(WS, 'CSEC', 'UBOB', false) // left the channel
    h.clock.advance(61_000)
    expect(await titles('UBOB')).not.toContain('Acquisition plan')
  })

  it('fails closed when the platform cannot answer', async () => {
    const { h, titles } = await setup()
    h.platform.isMember = async () => {
      throw new Error('slack down')
    }
    expect(await titles('UADA')).toEqual(['Acquisition rumours FAQ'])
  })

  it('a private channel full of matches does not hide public results further down', async () => {
    const h = harness()
    for (let i = 0; i < 60; i++)
      await seedItem(h.repo, { title: `Budget ${i} budget budget`, conversation: { id: 'CSEC', name: 'secret-project', privacy: 'private' } })
    await seedItem(h.repo, { title: 'Team budget overview', body: 'x' })
    const hits = (await h.kb.search.search(WS, 'UDAN', 'budget')).hits
    expect(hits.map((x) => x.item.title)).toEqual(['Team budget overview'])
    expect(h.platform.calls.isMember).toBe(1) // one question for the whole private channel
  })
})

describe('hostile input', () => {
  const nasty = [
    '',
    ' ',
    '"',
    '""',
    '"unbalanced',
    "'",
    '*',
    '**',
    'foo*',
    '*foo',
    '-',
    '-foo',
    'NOT',
    'foo NOT bar',
    'AND OR NOT NEAR',
    'NEAR(foo bar, 2)',
    'foo AND (bar OR',
    '(((',
    ')))',
    ':',
    'title:foo',
    'search_text:bar',
    '{title}: foo',
    '^foo',
    'foo + bar',
    'in:',
    'from:',
    'tag:',
    'in:# from:@ tag:#',
    'from:"',
    'from:"@',
    '<@U123|',
    '<#',
    '🙂',
    '👩‍👩‍👧‍👦 🏳️‍🌈',
    '東京 タワー',
    '東京タワー',
    'مرحبا بالعالم',
    'שלום',
    'Ünïcödé çàfé',
    '\u0000\u0001\u0002\u0003',
    '\uD800',
    '\uDFFF lone',
    'a\u0002b\u0003c',
    'x'.repeat(5000),
    'word '.repeat(1000),
    '"a" "b" "c" '.repeat(300),
    'SELECT * FROM knowledge_items; DROP TABLE knowledge_items; --',
    "'; --",
    '\\',
    '\\"',
    '%_%',
    'null undefined NaN',
    '\n\t\r',
  ]

  it.each(nasty.map((s) => [JSON.stringify(s).slice(0, 40), s]))('never throws: %s', async (_label, input) => {
    const h = harness()
    await seedItem(h.repo, { title: 'Ünïcödé çàfé near 東京タワー and مرحبا', body: 'foo bar NOT near' })
    const turn = await h.kbCommand('UADA', input)
    expect(turn.replies).toHaveLength(1)
    expect(turn.last!.text).not.toContain('went wrong')
    expect(() => buildMatch(parseQuery(input).terms, 'all')).not.toThrow()
  })

  it('random strings from an alphabet of FTS5 syntax and odd code points never throw', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'alpha beta gamma', body: 'delta NEAR epsilon' })
    const alphabet = [
      '"',
      "'",
      '*',
      '-',
      '+',
      '^',
      ':',
      '(',
      ')',
      '{',
      '}',
      ' ',
      ' ',
      'NEAR',
      'AND',
      'OR',
      'NOT',
      'alpha',
      'be',
      'é',
      '東',
      '🙂',
      '\u0000',
      '\uD83D',
      '#',
      '@',
      'in:',
      'from:',
      'tag:',
      '<',
      '>',
      '|',
      '\\',
      '\n',
    ]
    let seed = 42
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (let i = 0; i < 400; i++) {
      const len = Math.floor(rnd() * 20)
      const s = Array.from({ length: len }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')
      await expect(h.kb.search.search(WS, 'UADA', s), s).resolves.toBeDefined()
    }
  })

  it('operators are words, not syntax', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Near miss report', body: 'Not an incident' })
    expect((await h.kb.search.search(WS, 'UADA', 'NEAR')).hits).toHaveLength(1)
    expect((await h.kb.search.search(WS, 'UADA', 'not incident')).hits).toHaveLength(1)
    expect((await h.kb.search.search(WS, 'UADA', '"miss report"')).hits).toHaveLength(1)
    expect((await h.kb.search.search(WS, 'UADA', '"report miss"')).hits).toHaveLength(0)
  })

  it('a user snippet cannot inject markdown', async () => {
    const h = harness()
    await seedItem(h.repo, { title: 'Links', body: 'click [here](https://evil.example) for **free** stuff' })
    const text = (await h.kbCommand('UADA', 'free')).last!.card!.blocks.map((b) => ('text' in b ? b.text : '')).join('\n')
    expect(text).toContain('\\[here\\]\\(https://evil.example\\)')
    expect(text).toContain('**free**')
  })
})
