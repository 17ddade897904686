/**
 * Persist before ack for the bulk of Slack's traffic, plain message events, which take the short
 * path past Bolt (adapters/slack/message-path.ts): Beacon is SIGKILLed right after the 200, while the
 * message's work waits on a Web API call the fake holds open (resolving a mention). The next process
 * finishes it: the message counts once in adoption, and Slack's retry afterwards is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { retried, seedWorkspace } from '../support/slack-fixtures.ts'
import { post, signedJson } from '../support/slack-signing.ts'
import { waitFor } from '../support/wait.ts'
import { count, inboxDone, inboxRow, lives, type Lives } from './support.ts'

describe('SIGKILL right after the 200 (a Slack message)', () => {
  const fake = new FakeSlackApi()
  let beacon: Lives

  beforeAll(async () => {
    await fake.start()
    seedWorkspace(fake)
    beacon = lives({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: fake.apiUrl })
  })
  afterAll(async () => {
    await beacon?.close()
    await fake.stop()
  })

  it('acked, killed mid-work: after restart it counts once, and the retry is a duplicate', { timeout: 60_000 }, async () => {
    const body = envelope({
      type: 'message',
      channel: 'C1',
      channel_type: 'channel',
      user: 'UALICE',
      text: 'thanks <@UBOB>!',
      ts: '1700000900.000100',
    })
    const key = `event:${String(body.event_id)}`
    const messagesBy = (db: Parameters<typeof count>[0]) =>
      count(db, "SELECT count(*) AS n FROM adoption_events WHERE person_id = 'UALICE' AND kind = 'message'")
    const first = await beacon.start()
    const mention = fake.holdNext('users.info') // the message's work, resolving <@UBOB>
    expect((await post(`${first.url}/slack/events`, signedJson(SIGNING_SECRET, body))).status).toBe(200)
    await mention.reached
    await beacon.kill()

    const db = beacon.db()
    expect(inboxRow(db, 'slack', key)?.state).toBe('pending')
    expect(messagesBy(db)).toBe(0)

    const second = await beacon.start()
    await inboxDone(db, 'slack', key)
    expect(messagesBy(db)).toBe(1)

    expect((await post(`${second.url}/slack/events`, retried(signedJson(SIGNING_SECRET, body)))).status).toBe(200)
    await waitFor(() => /duplicate slack delivery acked and ignored/.test(second.stdout()), 'the retry logged as a duplicate', 10_000)
    expect(messagesBy(db)).toBe(1)
    mention.release()
    await beacon.stop()
  })
})
