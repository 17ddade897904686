/**
 * Small helpers shared by the end-to-end tests: a bounded poller, a local webhook receiver, and
 * read-only looks at the SQLite file (what a user's data actually is, not what a reply claims).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '../../src/storage/db.ts'

export { sleep } from '../support/wait.ts'

export interface TaskRow {
  id: number
  workspace_id: string
  number: number
  title: string
  status: string
  creator_id: string
  timezone: string
  due_at: number | null
  conversation_id: string | null
  source_conversation_id: string | null
  source_message_id: string | null
  source_thread_id: string | null
  source_permalink: string | null
  assignees: string
}

/** Every task row with its assignees ("U1,U2"), straight from SQLite. */
export function taskRows(db: Db): TaskRow[] {
  return db.$client
    .prepare(
      `SELECT t.*, (SELECT group_concat(a.person_id) FROM task_assignees a WHERE a.task_id = t.id) AS assignees
       FROM tasks t ORDER BY t.id`,
    )
    .all() as TaskRow[]
}

export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>
  body: string
  at: number
}

export interface WebhookReceiver {
  url: string
  received: ReceivedWebhook[]
  close(): Promise<void>
}

/** A tracker's endpoint: records every POST with its raw body and answers 204. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() })
    res.writeHead(204).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/beacon`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** "Thu 27 Nov" and "17:00" of an instant in a zone, computed with Intl alone (independent of Beacon's code). */
export function localParts(at: Date | number, zone: string): { date: string; time: string; ymd: string } {
  const d = new Date(at)
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(d)
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
  return { date, time, ymd }
}
