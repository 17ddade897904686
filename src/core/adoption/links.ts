import type { ChannelLink, Link } from './types.ts'

/** A team's links from every conversation's (`channelLinks`): its conversations' rows, summed per pair. */
export function teamLinks(rows: Iterable<ChannelLink>, conversationIds: Iterable<string>): Link[] {
  const wanted = new Set(conversationIds)
  const pairs = new Map<string, Link>()
  for (const r of rows) {
    if (!wanted.has(r.conversationId)) continue
    const key = `${r.fromId}\u0000${r.toId}`
    const known = pairs.get(key)
    if (known) known.count += r.count
    else pairs.set(key, { fromId: r.fromId, toId: r.toId, count: r.count })
  }
  return [...pairs.values()]
}
