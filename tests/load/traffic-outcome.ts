/**
 * What a traffic plan (traffic.ts) left in SQLite and in Slack once Beacon has done its work, and
 * which delivery ids did not have exactly one effect.
 */
import type { Db } from '../../src/storage/db.ts'
import type { FakeSlackApi } from '../support/fake-slack-api.ts'
import type { Plan } from './traffic.ts'

/** What the plan left in SQLite and in Slack, for the exactly-once assertions. */
export function outcome(db: Db, fake: FakeSlackApi, plan: Plan, team = 'T1') {
  // A delivery is claimed by its inbox row (key "event:<id>", "command:<trigger>", "<type>:<trigger>",
  // done once its work finished); the dispatcher's own claim is only written for what bypassed the inbox.
  const claimed = new Set([
    ...(db.$client.prepare('SELECT event_id FROM processed_events WHERE workspace_id = ?').all(`slack:${team}`) as { event_id: string }[]).map(
      (r) => r.event_id,
    ),
    ...(db.$client.prepare(`SELECT key FROM inbox WHERE source = 'slack' AND state = 'done'`).all() as { key: string }[]).map((r) =>
      r.key.slice(r.key.indexOf(':') + 1),
    ),
  ])
  const items = (root: { channel: string; ts: string }) =>
    (
      db.$client.prepare('SELECT count(*) AS n FROM knowledge_items WHERE thread_id = ?').get(`slack:${team}:${root.channel}:${root.ts}`) as {
        n: number
      }
    ).n
  const confirmations = (root: { channel: string; ts: string }) =>
    fake
      .callsOf('chat.postMessage')
      .filter((c) => c.params.channel === root.channel && c.params.thread_ts === root.ts && String(c.params.text).includes('Saved to knowledge'))
      .length
  const taskTitles = (db.$client.prepare('SELECT title FROM tasks WHERE workspace_id = ?').all(`slack:${team}`) as { title: string }[]).map(
    (r) => r.title,
  )
  return {
    missingClaims: [...plan.ids].filter((id) => !claimed.has(id)),
    itemsPerSavedThread: plan.savedThreads.map(items),
    confirmationsPerSavedThread: plan.savedThreads.map(confirmations),
    /** How many tasks carry each planned command's marker (must be 1 each). */
    tasksPerCommand: plan.tasks.map((t) => {
      const marker = /(number \d+)/.exec(t)![1]!
      return taskTitles.filter((title) => title.includes(plan.tag) && new RegExp(`${marker}(?!\\d)`).test(title)).length
    }),
    /** Tasks this plan made, in all. */
    taskCount: taskTitles.filter((title) => title.includes(`load task ${plan.tag} `)).length,
    /** DMs to the assignee (U2) per task that names them and was made by someone else: 1 each. */
    assignmentDms: plan.tasks.flatMap((t, i) => {
      if (!t.includes('<@U2>') || plan.taskCreators[i] === 'U2') return []
      const marker = new RegExp(`${plan.tag} ${/(number \d+)/.exec(t)![1]!}(?!\\d)`)
      return [fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DU2' && marker.test(JSON.stringify(c.params))).length]
    }),
    unansweredCommands: plan.commandResponses.filter((id) => !fake.responses.some((r) => r.id === id)),
    /** Distinct id → how many times its effect happened (must be 1 each: 0 is lost, 2 is doubled). */
    effectsPerId: effectCounts(db, fake, plan, team),
  }
}

function effectCounts(db: Db, fake: FakeSlackApi, plan: Plan, team: string): Map<string, number> {
  const activity = db.$client.prepare(
    'SELECT count(*) AS n FROM adoption_events ' +
      "WHERE workspace_id = ? AND kind = ? AND conversation_id = ? AND person_id = ? AND at = ? AND source_key LIKE 'ev:%'",
  )
  const responses = new Map<string, number>()
  for (const r of fake.responses) responses.set(r.id, (responses.get(r.id) ?? 0) + 1)
  const modals = new Map<string, number>()
  for (const c of fake.callsOf('views.open')) modals.set(String(c.params.trigger_id), (modals.get(String(c.params.trigger_id)) ?? 0) + 1)
  const counts = new Map<string, number>()
  for (const [id, e] of plan.effects) {
    if (e.kind === 'activity') counts.set(id, (activity.get(`slack:${team}`, e.activity, e.conversation, e.person, e.atMs) as { n: number }).n)
    else if (e.kind === 'response') counts.set(id, responses.get(e.responseId) ?? 0)
    else counts.set(id, modals.get(e.triggerId) ?? 0)
  }
  return counts
}

/** The ids whose effect did not happen exactly once, with the count: `[]` when all is well. */
export function notExactlyOnce(counts: Map<string, number>): [string, number][] {
  return [...counts].filter(([, n]) => n !== 1)
}
