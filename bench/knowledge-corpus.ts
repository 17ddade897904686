/**
 * The knowledge benches' synthetic corpus, deterministic for a seed: saved threads of Zipf-ish
 * words over several workspaces (C0–C7 private, the rest public), loaded straight into SQLite,
 * the /kb queries typed against it, and a platform that knows its channels.
 * Measured by bench/knowledge-search.ts (SQLite) and bench/knowledge-search-pg.ts.
 */
import type { ChatPlatform, PlatformDirectory } from '../src/core/ports.ts'
import { seededRandom as prng } from '../src/core/seeded-random.ts'
import type { Db } from '../src/storage/db.ts'
import { KnowledgeIndexes } from '../src/storage/repositories/knowledge-index.ts'

export const WORKSPACES = 5

/**
 * Up to 100k items: 5 workspaces, 3–8 line threads. At 1M: 50 workspaces of 20k items (many
 * tenants on one database), one-line threads so the setup stays around two minutes.
 */
export const shapeFor = (size: number) => (size >= 1_000_000 ? { workspaces: 50, maxLines: 1 } : { workspaces: WORKSPACES, maxLines: 8 })

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'den', 'par', 'qu', 'zen', 'bri', 'tor', 'fal', 'gem']
const TECH = (
  'deploy release staging production database password vault kubernetes cluster pipeline runbook incident oncall vpn laptop ' +
  'expense invoice budget roadmap onboarding holiday payroll security backup restore migration schema index cache latency ' +
  'outage rollback feature flag billing customer contract legal travel'
).split(' ')

/** A Zipf-ish vocabulary: a few very common words, a long tail of rare ones. */
function vocabulary(rnd: () => number): string[] {
  const words = new Set<string>(TECH)
  while (words.size < 6000) {
    const n = 2 + Math.floor(rnd() * 3)
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]).join(''))
  }
  return [...words]
}

function zipfPick(rnd: () => number, vocab: string[]): string {
  return vocab[Math.min(vocab.length - 1, Math.floor(rnd() ** 2.2 * vocab.length))]!
}

/** One synthetic saved thread, as generate() stores it and bench/knowledge-search-pg.ts saves it. */
export interface SyntheticItem {
  index: number
  workspace: string
  channel: number
  privacy: 'private' | 'public'
  title: string
  body: string
  /** One tech word on 30% of items, '' otherwise. */
  tag: string
  /** Epoch ms, one minute apart. */
  at: number
}

/**
 * The items of a bench, deterministic for a seed: Zipf-ish words, C0–C7 private, the rest public,
 * spread round-robin over the workspaces (`slack:T0`, `slack:T1`, …).
 */
export function* syntheticItems(count: number, seed: number, shape: { workspaces?: number; maxLines?: number } = {}): Generator<SyntheticItem> {
  const workspaces = shape.workspaces ?? WORKSPACES
  const maxLines = shape.maxLines ?? 8
  const rnd = prng(seed)
  const vocab = vocabulary(prng(7))
  const words = (n: number) => Array.from({ length: n }, () => zipfPick(rnd, vocab)).join(' ')
  for (let i = 0; i < count; i++) {
    const channel = Math.floor(rnd() * 40)
    const title = words(4 + Math.floor(rnd() * 6))
    const body = Array.from(
      { length: Math.min(maxLines, 3 + Math.floor(rnd() * 6)) },
      () => `Person${Math.floor(rnd() * 50)}: ${words(8 + Math.floor(rnd() * 20))}`,
    ).join('\n')
    const tag = rnd() < 0.3 ? zipfPick(rnd, TECH) : ''
    yield {
      index: i,
      workspace: `slack:T${i % workspaces}`,
      channel,
      privacy: channel < 8 ? 'private' : 'public',
      title,
      body,
      tag,
      at: Date.UTC(2024, 0, 1) + i * 60_000,
    }
  }
}

/**
 * Bulk-load items with one prepared statement in one transaction, then index each workspace.
 * Capture goes through the repository in the tests; here the point is the search path.
 */
export function generate(db: Db, count: number, seed: number, shape: { workspaces?: number; maxLines?: number } = {}): void {
  const insert = db.$client.prepare(`INSERT INTO knowledge_items (workspace_id, thread_id, conversation_id, conversation_name,
    conversation_key, privacy, root_message_id, title, body, search_text, tags_text, permalink, message_count, created_at, updated_at, synced_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const contributor = db.$client.prepare(
    'INSERT INTO knowledge_contributors (item_id, person_id, display_name, name_key, position) VALUES (?, ?, ?, ?, 0)',
  )
  const saver = db.$client.prepare("INSERT INTO knowledge_savers (item_id, person_id, via, saved_at) VALUES (?, ?, 'reaction', 0)")
  db.$client.transaction(() => {
    for (const it of syntheticItems(count, seed, shape)) {
      const i = it.index
      const res = insert.run(
        it.workspace,
        `${it.workspace}:C${it.channel}:${i}.1`,
        `C${it.channel}`,
        `channel-${it.channel}`,
        `channel-${it.channel}`,
        it.privacy,
        `${i}.1`,
        it.title,
        it.body,
        it.body,
        it.tag,
        `https://example.slack.com/archives/C${it.channel}/p${i}`,
        4,
        it.at,
        it.at,
        it.at,
      )
      contributor.run(res.lastInsertRowid, `U${i % 50}`, `Person${i % 50}`, `person${i % 50}`)
      saver.run(res.lastInsertRowid, `U${i % 50}`)
    }
  })()
  // Each workspace's index is built once after the load (as after migration 0024), then merged to
  // one segment like the floor's table below, so both are read in the same shape.
  new KnowledgeIndexes(db).ensureAll()
  const tables = db.$client.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'knowledge_fts_w%' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all()
  for (const { name } of tables as { name: string }[]) db.$client.exec(`INSERT INTO "${name}"("${name}") VALUES ('optimize')`)
  db.$client.exec('ANALYZE')
}

export function queries(n: number, seed: number): string[] {
  const rnd = prng(seed)
  const vocab = vocabulary(prng(7))
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const k = 1 + Math.floor(rnd() * 3)
    // Mid-frequency words, the last one typed half-way (prefix), some with a filter.
    const ws = Array.from({ length: k }, () => vocab[Math.floor(rnd() * 600)]!)
    const last = ws[k - 1]!
    ws[k - 1] = rnd() < 0.5 ? last.slice(0, Math.max(3, Math.ceil(last.length * 0.7))) : last
    if (rnd() < 0.15) ws.push(`in:#channel-${Math.floor(rnd() * 40)}`)
    out.push(ws.join(' '))
  }
  return out
}

/**
 * Members of every even channel; the platform answers instantly (the 60 s cache hides it anyway).
 * It knows each channel's privacy as generate() made it (C0–C7 private, the rest and the QA channel
 * public): without getConversation every lookup failed, so every item counted as private, the
 * permission filter hid the suggestion bench's whole QA channel (precision/recall 0.00) and /kb
 * walked extra pages.
 */
export function fakePlatforms(): PlatformDirectory {
  const channel = (c: string) => Number(c.slice(1))
  const platform = {
    name: 'slack',
    isMember: async (_w: string, _p: string, c: string) => channel(c) % 2 === 0,
    getConversation: async (workspace: string, c: string) => ({ workspace, id: c, name: c, privacy: channel(c) < 8 ? 'private' : 'public' }),
  } as unknown as ChatPlatform
  return { forWorkspace: () => platform, register: () => undefined }
}
