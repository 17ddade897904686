/**
 * A colleague types markdown into what Beacon will repeat: a kudos reason, a task title, the first
 * line of a thread someone saves (its knowledge title and snippet). Beacon signs the card it sends,
 * so a link in there reads as Beacon's own. Everything people typed must render as the characters
 * they typed, while the links Beacon makes itself keep working. Teams end to end (Bot Framework
 * activities in, Bot Connector calls out); every TextBlock, FactSet value and chat text is read the
 * way a Teams client would find links in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALICE, BOB, CHANNEL, TEAM, TENANT, invoke, messagePayload, personalConversation, personalMessage } from '../adapters/teams/activities.ts'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'
import { SlackDriver, visibleText } from '../e2e/slack-driver.ts'
import { startHarness, type Harness as SlackHarness } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { waitFor } from '../support/wait.ts'

const BAIT = '[Claim your bonus](https://evil.example/bonus)'
const ROOT = '1712000900001'
const WEB_URL = `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/${ROOT}?groupId=${TEAM.aadGroupId}`

/** Every markdown string a Teams client renders from one activity: chat text, or each card text. */
function renderedTexts(c: ConnectorCall): string[] {
  const b = (c.body ?? {}) as { text?: string; attachments?: { content?: { body?: unknown[] } }[] }
  const out: string[] = []
  if (typeof b.text === 'string') out.push(b.text)
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) {
      for (const x of el) walk(x)
      return
    }
    if (!el || typeof el !== 'object') return
    const e = el as Record<string, unknown>
    if (e.type === 'TextBlock' && typeof e.text === 'string') out.push(e.text)
    if (e.type === 'FactSet') for (const f of (e.facts ?? []) as { value: string }[]) out.push(f.value)
    for (const v of Object.values(e)) if (typeof v === 'object') walk(v)
  }
  for (const a of b.attachments ?? []) walk(a.content?.body)
  return out
}

/**
 * The destinations of the inline links a CommonMark renderer would draw: "[label](url)" with the
 * label's brackets balanced. A backslash before "[" or "]" (a CommonMark escape) does not open one.
 */
function linkTargets(md: string): string[] {
  const out: string[] = []
  for (let i = 0; i < md.length; i++) {
    if (md[i] !== '[' || md[i - 1] === '\\') continue
    let depth = 0
    for (let j = i; j < md.length; j++) {
      if (md[j - 1] === '\\') continue
      if (md[j] === '[') depth++
      else if (md[j] === ']' && --depth === 0) {
        const m = /^\(([^)\s]+)\)/.exec(md.slice(j + 1))
        if (m) out.push(m[1]!)
        break
      }
    }
  }
  return out
}

/** What the reader sees, roughly: no zero-width characters, no markdown escapes. */
const visible = (md: string) => md.replace(/\u200b|\u200c|\u200d|\u2060/g, '').replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')

describe('people’s text in Teams cards and messages is text, never a link', () => {
  let h: Harness
  const chatOf = (who: typeof ALICE) => `a:1personal-${who.aadObjectId}`
  async function ask(from: typeof ALICE, text: string): Promise<ConnectorCall[]> {
    const before = h.connector.messages().length
    const res = await h.post({
      ...personalMessage(h.connector.serviceUrl, text),
      from,
      conversation: { ...personalConversation, id: chatOf(from), tenantId: TENANT },
    })
    expect(res.status).toBe(200)
    await waitFor(
      () =>
        h.connector
          .messages()
          .slice(before)
          .some((c) => c.conversationId === chatOf(from)),
      `the reply to "${text}"`,
    )
    return h.connector.messages().slice(before)
  }

  beforeAll(async () => {
    h = await viaCompose()
    h.connector.members.set(TEAM.id, [ALICE, BOB])
    h.connector.members.set(CHANNEL.id, [ALICE, BOB])
    for (const p of [ALICE, BOB]) await ask(p, 'help')
  })
  afterAll(async () => h?.close())

  /** `shown`: what must be readable (knowledge titles are the thread's first line made plain: "label (url)"). */
  function expectNoBait(calls: ConnectorCall[], what: string, shown = BAIT) {
    const texts = calls.flatMap(renderedTexts)
    expect(
      texts.some((t) => visible(t).includes(shown)),
      `${what}: the typed text is shown in ${JSON.stringify(texts)}`,
    ).toBe(true)
    for (const t of texts)
      expect(
        linkTargets(t).filter((u) => u.includes('evil.example')),
        `${what}: ${t}`,
      ).toEqual([])
  }

  it('a kudos reason', async () => {
    const before = h.connector.messages().length
    await ask(ALICE, `kudos @Bob Chen for ${BAIT}`)
    await waitFor(
      () =>
        h.connector
          .messages()
          .slice(before)
          .some((c) => c.conversationId !== chatOf(ALICE)),
      'Bob hearing about it',
    )
    expectNoBait(h.connector.messages().slice(before), 'kudos')
    expectNoBait(await ask(BOB, 'kudos me'), 'kudos me')
  })

  it('a task title, in the reply and in the list', async () => {
    expectNoBait(await ask(ALICE, `task ${BAIT} tomorrow 5pm`), 'task created')
    expectNoBait(await ask(ALICE, 'task list'), 'task list')
  })

  it('a saved thread’s title and snippet, while Beacon’s own link to the thread still works', async () => {
    const thread: GraphMessageFixture[] = [
      {
        id: ROOT,
        replyToId: null,
        messageType: 'message',
        createdDateTime: '2025-01-10T10:00:00.000Z',
        from: { user: { id: BOB.aadObjectId, displayName: BOB.name } },
        body: { contentType: 'html', content: `<p>${BAIT} payroll zeppelin</p>` },
        webUrl: WEB_URL,
      },
      {
        id: '1712000900002',
        replyToId: ROOT,
        messageType: 'message',
        createdDateTime: '2025-01-10T10:01:00.000Z',
        from: { user: { id: ALICE.aadObjectId, displayName: ALICE.name } },
        body: { contentType: 'html', content: `<p>zeppelin answer ${BAIT}</p>` },
      },
    ]
    h.graph.threads.set(`${TEAM.aadGroupId}/${CHANNEL.id}/${ROOT}`, thread)
    const before = h.connector.messages().length
    const save = invoke(h.connector.serviceUrl, 'composeExtension/submitAction', {
      commandId: 'saveToKnowledge',
      commandContext: 'message',
      messagePayload: messagePayload(ROOT, thread[0]!.body.content),
    })
    expect((await h.post(save)).status).toBe(200)
    const inThread = () =>
      h.connector
        .messages()
        .slice(before)
        .filter((c) => c.conversationId === `${CHANNEL.id};messageid=${ROOT}`)
    await waitFor(() => inThread().length > 0, 'the confirmation in the thread')
    expectNoBait(inThread(), 'saved confirmation', 'Claim your bonus (https://evil.example/bonus) payroll zeppelin')
    expect(inThread().flatMap(renderedTexts).flatMap(linkTargets)).toContain(WEB_URL)

    const found = await ask(ALICE, 'kb zeppelin')
    expectNoBait(found, 'kb results', 'Claim your bonus')
    expect(found.flatMap(renderedTexts).flatMap(linkTargets)).toContain(WEB_URL)
  })
})

describe('people’s text in Slack messages is text, never a link', () => {
  let h: SlackHarness
  let slack: SlackDriver
  beforeAll(async () => {
    const fake = await new FakeSlackApi().start()
    for (const [id, name] of [
      ['UALICE', 'Alice'],
      ['UBOB', 'Bob'],
    ] as const)
      fake.users.set(id, { id, name: name.toLowerCase(), real_name: name, tz: 'UTC', profile: { display_name: name } })
    fake.channels.set('C1', { id: 'C1', name: 'general', is_private: false })
    fake.members.set('C1', ['UALICE', 'UBOB'])
    h = await startHarness({ compose: true, fake })
    slack = new SlackDriver(h.eventsUrl, h.fake)
  })
  afterAll(async () => h?.close())

  /** mrkdwn links are "<url>" or "<url|label>"; Slack sends what people typed with & < > as entities. */
  const mrkdwnLinks = (s: string) => [...s.matchAll(/<(https?:[^|>]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!)
  const SLACK_BAIT = '&lt;https://evil.example/bonus|Claim your bonus&gt; and [Claim it](https://evil.example/b2)'

  it('kudos and task replies show a typed <url|label> and [label](url) as text', async () => {
    const replies = [
      await slack.command(`<@UBOB> for ${SLACK_BAIT}`, 'UALICE', 'C1', '/kudos'),
      await slack.command(`${SLACK_BAIT} tomorrow 5pm`, 'UALICE', 'C1', '/task'),
    ]
    const all = [...replies.map((r) => visibleText(r)), ...h.fake.callsOf('chat.postMessage').map((c) => visibleText(c.params))]
    expect(all.some((t) => t.includes('&lt;https://evil.example/bonus|Claim your bonus&gt;'))).toBe(true)
    for (const t of all)
      expect(
        mrkdwnLinks(t).filter((u) => u.includes('evil.example')),
        t,
      ).toEqual([])
    // The task as its assignee lists it later.
    const list = visibleText(await slack.command('list', 'UALICE', 'C1', '/task'))
    expect(list).toContain('Claim it')
    expect(mrkdwnLinks(list).filter((u) => u.includes('evil.example'))).toEqual([])
  })
})
