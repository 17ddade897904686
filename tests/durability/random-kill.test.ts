/**
 * SIGKILL at seeded-random points of mixed Slack traffic. Reactions that save threads, `/task`
 * commands and "Create task" shortcuts go to the real Beacon process in shuffled batches; after
 * each batch is acked, the process is killed once the slowed fake Web API has seen a random number
 * more calls (so the kill lands inside capture jobs, answers, DMs and modals, wherever the work
 * is), then restarted on the same DATABASE_PATH. After the last restart, every acknowledged
 * delivery must have had its effect:
 *
 * - stored effects exactly once: one knowledge item per saved thread, one task per `/task`, at
 *   most one task per shortcut (none when its modal opened live: the person fills it in later);
 * - messages at least once (never lost), and repeated only across a kill: a message Slack
 *   received while the process died is one Beacon cannot know it sent, so the replay sends it again
 *   (Slack's API has no idempotency key). Two copies with no kill between them would be a bug.
 *
 * Seed: CRASH_SEED (default fixed), printed on failure through the assertion messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/core/seeded-random.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { jobsIdle } from '../e2e/knowledge-support.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { post, signedForm, signedInteraction, signedJson, type SignedRequest } from '../support/slack-signing.ts'
import { taskCommand } from '../support/slack-fixtures.ts'
import { count, lives, type Lives } from './support.ts'
import { waitFor } from '../support/wait.ts'

const SEED = Number(process.env.CRASH_SEED ?? 20261130)
/**
 * Two kills: the inbox tries a delivery at most INBOX_MAX_ATTEMPTS (3) times in all, then parks it
 * (the guard against a delivery that crashes the process every time). A delivery whose work is
 * still under way at three kills in a row is parked — by design — so with two kills every delivery
 * gets its last try in a life that is not killed.
 */
const KILLS = 2
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
const root = (i: number) => `1700001${String(i).padStart(3, '0')}.000100`
const shortcutTs = (i: number) => `1700002${String(i).padStart(3, '0')}.000100`

type Delivery = { kind: 'reaction' | 'command' | 'shortcut'; i: number; request: (fake: FakeSlackApi) => SignedRequest }

const deliveries: Delivery[] = [
  ...WORDS.map(
    (_w, i): Delivery => ({
      kind: 'reaction',
      i,
      request: () =>
        signedJson(SIGNING_SECRET, {
          token: 'legacy',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: `EvRK${i}`,
          event_time: 1700000200,
          event: {
            type: 'reaction_added',
            user: 'UALICE',
            reaction: 'bookmark',
            item: { type: 'message', channel: 'C1', ts: root(i) },
            item_user: 'UBOB',
            event_ts: `17000003${i}.000100`,
          },
        }),
    }),
  ),
  ...WORDS.map(
    (w, i): Delivery => ({
      kind: 'command',
      i,
      request: (fake) => signedForm(SIGNING_SECRET, taskCommand(fake, `rotate the ${w} keys <@UBOB> in 3 days`, `cmd-${i}`)),
    }),
  ),
  ...WORDS.slice(0, 4).map(
    (w, i): Delivery => ({
      kind: 'shortcut',
      i,
      request: (fake) =>
        signedInteraction(SIGNING_SECRET, {
          type: 'message_action',
          token: 'legacy',
          action_ts: `17000004${i}.000100`,
          team: { id: 'T1', domain: 'acme' },
          user: { id: 'UALICE', username: 'alice', team_id: 'T1', name: 'alice' },
          channel: { id: 'C1', name: 'general' },
          is_enterprise_install: false,
          callback_id: 'create_task',
          trigger_id: `trig.sc-${i}`,
          response_url: fake.responseUrl(`sc-${i}`),
          message_ts: shortcutTs(i),
          message: { type: 'message', ts: shortcutTs(i), user: 'UBOB', text: `Can someone archive the ${w} logs by friday?` },
        }),
    }),
  ),
]

function shuffled<T>(xs: T[], rng: () => number): T[] {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

/** Every consecutive pair of copies must have a kill between them. */
function repeatsOnlyAcrossKills(times: number[], kills: number[]): boolean {
  const sorted = [...times].sort((x, y) => x - y)
  return sorted.every((t, k) => k === 0 || kills.some((at) => sorted[k - 1]! <= at && at <= t))
}

describe('SIGKILL at seeded-random points of mixed Slack traffic', () => {
  const fake = new FakeSlackApi()
  let beacon: Lives

  beforeAll(async () => {
    await fake.start()
    fake.users.set('UALICE', { id: 'UALICE', name: 'alice', real_name: 'Alice', tz: 'UTC' })
    fake.users.set('UBOB', { id: 'UBOB', name: 'bob', real_name: 'Bob', tz: 'UTC' })
    fake.channels.set('C1', { id: 'C1', name: 'general' })
    WORDS.forEach((w, i) => {
      fake.addMessage('C1', { ts: root(i), thread_ts: root(i), user: 'UBOB', text: `How do we rotate the ${w} keys?` })
      fake.addMessage('C1', {
        ts: `1700001${String(i).padStart(3, '0')}.000200`,
        thread_ts: root(i),
        user: 'UALICE',
        text: `Run \`rotate.sh ${w}\`.`,
      })
    })
    // Slowed, so kills land inside calls and not only between them.
    for (const m of ['conversations.replies', 'chat.postMessage', 'views.open', 'users.info', 'chat.getPermalink']) fake.delay(m, 40)
    beacon = lives({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: fake.apiUrl })
  })
  afterAll(async () => {
    await beacon?.close()
    await fake.stop()
  })

  it(`every acked delivery has its effect: stored once, sent at least once and repeated only across a kill (seed ${SEED})`, {
    timeout: 180_000,
  }, async () => {
    const rng = seededRandom(SEED)
    const order = shuffled(deliveries, rng)
    const kills: number[] = []
    let next = 0
    let url = (await beacon.start()).url
    for (let k = 0; k <= KILLS && next < order.length; k++) {
      const batch = order.slice(next, k === KILLS ? order.length : next + 3 + Math.floor(rng() * 3))
      next += batch.length
      const acks = await Promise.all(batch.map((d) => post(`${url}/slack/events`, d.request(fake))))
      expect(
        acks.map((a) => a.status),
        `acks of batch ${k}`,
      ).toEqual(batch.map(() => 200))
      if (k === KILLS) break
      // The kill point: a random number of further Web API calls (or, if the work ends sooner, once it has).
      const target = fake.calls.length + 1 + Math.floor(rng() * 8)
      const db = beacon.db()
      await waitFor(
        () =>
          fake.calls.length >= target ||
          (count(db, "SELECT count(*) AS n FROM inbox WHERE state = 'pending'") === 0 &&
            count(db, "SELECT count(*) AS n FROM jobs WHERE status IN ('waiting', 'running') AND run_at <= ?", Date.now()) === 0),
        `kill point ${k}`,
        30_000,
      )
      await beacon.kill()
      kills.push(Date.now()) // once it is gone: everything it sent is before this, everything a replay sends after
      url = (await beacon.start()).url
    }
    const db = beacon.db()
    await waitFor(() => count(db, "SELECT count(*) AS n FROM inbox WHERE state = 'pending'") === 0, 'every delivery processed', 60_000)
    expect(
      db.$client.prepare("SELECT key, state, attempts, last_error FROM inbox WHERE state <> 'done'").all(),
      `deliveries not done (seed ${SEED})`,
    ).toEqual([])
    await jobsIdle(db, 60_000)
    expect(kills).toHaveLength(KILLS)

    const posts = fake.callsOf('chat.postMessage')
    for (const d of order) {
      const what = `${d.kind} ${d.i} (seed ${SEED})`
      if (d.kind === 'reaction') {
        expect(count(db, 'SELECT count(*) AS n FROM knowledge_items WHERE thread_id = ?', `slack:T1:C1:${root(d.i)}`), what).toBe(1)
        const saved = posts
          .filter((c) => c.params.channel === 'C1' && c.params.thread_ts === root(d.i) && /Saved to knowledge/.test(String(c.params.text)))
          .map((c) => c.at)
        expect(saved.length, what).toBeGreaterThanOrEqual(1)
        expect(repeatsOnlyAcrossKills(saved, kills), `${what}: "Saved" repeated without a kill between`).toBe(true)
      } else if (d.kind === 'command') {
        const title = `rotate the ${WORDS[d.i]} keys`
        expect(count(db, 'SELECT count(*) AS n FROM tasks WHERE title = ?', title), what).toBe(1)
        const answers = fake.responses.filter((r) => r.id === `cmd-${d.i}` && /Created/.test(JSON.stringify(r.body))).map((r) => r.at)
        expect(answers.length, what).toBeGreaterThanOrEqual(1)
        expect(repeatsOnlyAcrossKills(answers, kills), `${what}: answer repeated without a kill between`).toBe(true)
        const dms = posts.filter((c) => c.params.channel === 'DUBOB' && String(JSON.stringify(c.params)).includes(title)).map((c) => c.at)
        expect(dms.length, `${what}: Bob told`).toBeGreaterThanOrEqual(1)
        expect(repeatsOnlyAcrossKills(dms, kills), `${what}: Bob's DM repeated without a kill between`).toBe(true)
      } else {
        const tasks = count(db, 'SELECT count(*) AS n FROM tasks WHERE source_message_id = ?', shortcutTs(d.i))
        expect(tasks, what).toBeLessThanOrEqual(1)
        if (tasks === 1) {
          const answers = fake.responses.filter((r) => r.id === `sc-${d.i}` && /Created/.test(JSON.stringify(r.body))).map((r) => r.at)
          expect(answers.length, what).toBeGreaterThanOrEqual(1)
          expect(repeatsOnlyAcrossKills(answers, kills), `${what}: answer repeated without a kill between`).toBe(true)
        } else {
          // Handled live: the form opened (the task is made when the person submits it).
          expect(fake.callsOf('views.open').filter((c) => c.params.trigger_id === `trig.sc-${d.i}`).length, what).toBeGreaterThanOrEqual(1)
        }
      }
    }
    await beacon.stop()
  })
})
