/** Every text and card the knowledge feature shows, in Beacon's markdown subset. */
import { platformOf, type WorkspaceId } from '../model.ts'
import type { Card, CardBlock, CardButton, Outbound } from '../outbound.ts'
import { escapeMarkdown } from '../outbound.ts'
import { SNIPPET_CLOSE, SNIPPET_OPEN, type Contributor, type KnowledgeItem, type SearchHit } from './types.ts'

export function formatDay(d: Date): string {
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
}

export function openLabel(workspace: WorkspaceId): string {
  const p = platformOf(workspace)
  return p === 'slack' ? 'Open in Slack' : p === 'teams' ? 'Open in Teams' : 'Open thread'
}

/** "[title](permalink)" or just the bold title when the platform gave no link. */
export function titleLink(item: KnowledgeItem): string {
  const t = escapeMarkdown(item.title)
  return item.permalink ? `[${t}](${item.permalink})` : `**${t}**`
}

/** Snippet text is the person's own words: escape it, then turn FTS5's hit marks into **bold**. */
export function renderSnippet(snippet: string): string {
  const oneLine = snippet.replace(/\s+/g, ' ').trim()
  let out = ''
  let open = false
  for (const part of oneLine.split(new RegExp(`([${SNIPPET_OPEN}${SNIPPET_CLOSE}])`))) {
    if (part === SNIPPET_OPEN) open = true
    else if (part === SNIPPET_CLOSE) open = false
    else if (part) out += open && part.trim() ? `**${escapeMarkdown(part)}**` : escapeMarkdown(part)
  }
  return out
}

/** Workspace id → "Slack · Acme": set when results span an organisation's workspaces. */
export type Places = ReadonlyMap<WorkspaceId, string>

function itemContext(item: KnowledgeItem, places?: Places): string {
  const tags = item.tags.length ? ` · ${item.tags.map((t) => `#${escapeMarkdown(t)}`).join(' ')}` : ''
  const where = item.conversation.privacy === 'direct' ? 'a direct message' : `#${escapeMarkdown(item.conversation.name)}`
  const place = places?.get(item.workspace)
  return `${place ? `${escapeMarkdown(place)} · ` : ''}${where} · ${formatDay(item.updatedAt)} · item ${item.id}${tags}`
}

/** Open (when the platform gave a link) and "Did this answer it?" 👍/👎, which impact counts (src/core/impact). */
function openButton(item: KnowledgeItem): CardBlock[] {
  const open: CardButton[] = item.permalink
    ? [{ actionId: 'kb:open', label: openLabel(item.workspace), url: item.permalink, value: String(item.id) }]
    : []
  const value = String(item.id)
  return [
    { type: 'context', text: 'Did this answer it?' },
    {
      type: 'actions',
      buttons: [...open, { actionId: 'impact:helpful', label: '👍 Yes', value }, { actionId: 'impact:not-helpful', label: '👎 No', value }],
    },
  ]
}

export function resultsMessage(query: string, hits: SearchHit[], opts: { broadened: boolean; personId: string; places?: Places }): Outbound {
  const shown = query ? `“${escapeMarkdown(query)}”` : 'your filters'
  if (hits.length === 0) {
    const text = `No saved knowledge matches ${shown}. Try fewer or shorter words, or drop a filter.`
    return { text, visibleTo: opts.personId }
  }
  const intro = opts.broadened ? `Nothing matched every word of ${shown}; these match some of them:` : `Knowledge for ${shown}:`
  const blocks: CardBlock[] = [{ type: 'text', text: intro }]
  const lines = [intro]
  for (const [i, h] of hits.entries()) {
    if (i > 0) blocks.push({ type: 'divider' })
    const snippet = renderSnippet(h.snippet)
    blocks.push({ type: 'text', text: `${titleLink(h.item)}${snippet ? `\n${snippet}` : ''}` })
    blocks.push({ type: 'context', text: itemContext(h.item, opts.places) })
    blocks.push(...openButton(h.item))
    lines.push(`- ${titleLink(h.item)} (${itemContext(h.item, opts.places)})`)
  }
  return { text: lines.join('\n'), card: { title: 'Knowledge search', blocks }, visibleTo: opts.personId }
}

export function itemList(items: KnowledgeItem[], empty: string, places?: Places): string {
  if (items.length === 0) return empty
  return items.map((i) => `- ${titleLink(i)} · ${itemContext(i, places)}`).join('\n')
}

export function confirmationMessage(item: KnowledgeItem, contributors: Contributor[]): Outbound {
  const thanks = contributors.length ? ` — thanks ${contributors.map((c) => `@${escapeMarkdown(c.displayName)}`).join(', ')}` : ''
  return { text: `Saved to knowledge: ${titleLink(item)}${thanks}. Find it any time with \`/kb\`.` }
}

export function suggestionMessage(item: KnowledgeItem, personId: string): Outbound {
  const text = `This may help: ${titleLink(item)} (saved in ${itemContext(item)})`
  return { text, card: { blocks: [{ type: 'text', text }, ...openButton(item)] }, visibleTo: personId }
}

export function staleCard(item: KnowledgeItem, days: number): Outbound {
  const text = `You saved ${titleLink(item)} to the knowledge base. Nobody has opened or updated it in ${days} days — is it still useful?`
  const card: Card = {
    title: 'Still useful?',
    blocks: [
      { type: 'text', text },
      { type: 'context', text: itemContext(item) },
      {
        type: 'actions',
        buttons: [
          { actionId: 'kb:keep', label: 'Keep', value: String(item.id), style: 'primary' },
          { actionId: 'kb:archive', label: 'Archive', value: String(item.id), style: 'danger' },
        ],
      },
    ],
  }
  return { text, card }
}
