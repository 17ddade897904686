/**
 * Slack message text (mrkdwn with <…> tokens and HTML-ish escapes) → Beacon's markdown subset, with
 * people and channels resolved to names so saved knowledge reads well outside Slack.
 */

/** Looks names up (through the people/conversation caches); undefined when unknown. */
export interface NameResolver {
  personName(id: string): Promise<string | undefined>
  conversationName(id: string): Promise<string | undefined>
}

const TOKEN = /<([^<>\n]*)>/g

export function unescapeSlack(s: string): string {
  // &amp; last, so "&amp;lt;" (a literal "&lt;" typed by a person) stays "&lt;".
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

/** Slack *bold* → Beacon **bold**; only at word edges so "2*3*4" is left alone. */
function boldToMarkdown(s: string): string {
  return s.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1**$2**')
}

type Piece = { kind: 'text'; text: string } | { kind: 'person' | 'channel'; id: string; label?: string } | { kind: 'done'; text: string }

function splitLabel(body: string): [string, string | undefined] {
  const bar = body.indexOf('|')
  return bar < 0 ? [body, undefined] : [body.slice(0, bar), body.slice(bar + 1) || undefined]
}

function parseToken(body: string): Piece {
  const [target, rawLabel] = splitLabel(body)
  const label = rawLabel === undefined ? undefined : unescapeSlack(rawLabel)
  // Slack escapes every literal "<" and ">", but be lenient with text that did not come from Slack.
  if (!/^([@#][A-Z0-9]+$|!\S|[a-z][a-z0-9+.-]*:\S)/i.test(target)) return { kind: 'text', text: `<${body}>` }
  if (target.startsWith('@')) return { kind: 'person', id: target.slice(1), ...(label ? { label: label.replace(/^@/, '') } : {}) }
  if (target.startsWith('#')) return { kind: 'channel', id: target.slice(1), ...(label ? { label } : {}) }
  if (target.startsWith('!')) {
    // <!here>, <!channel>, <!subteam^S1|@eng>, <!date^…|fallback>: the label is what Slack shows.
    if (label) return { kind: 'done', text: label }
    const word = target.slice(1).split('^', 1)[0] ?? ''
    return { kind: 'done', text: `@${word}` }
  }
  const url = unescapeSlack(target)
  if (!label || label === url || `mailto:${label}` === url) return { kind: 'done', text: label ?? url }
  return { kind: 'done', text: `[${label.replace(/[[\]]/g, '')}](${url.replace(/[()\s]/g, encodeURIComponent)})` }
}

/** Tokens and the plain text between them, in order. */
function tokenize(text: string): Piece[] {
  const out: Piece[] = []
  let last = 0
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) })
    out.push(parseToken(m[1] ?? ''))
    last = m.index + m[0].length
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) })
  return out
}

/**
 * `<@U1>` → `@Ada Lovelace`, `<#C1|general>` → `#general`, `<https://x|docs>` → `[docs](https://x)`,
 * `&amp;`/`&lt;`/`&gt;` unescaped. Each distinct id is looked up once, in parallel.
 */
export async function slackToBeaconText(text: string, names: NameResolver): Promise<string> {
  // Most messages: no token and no escape, so nothing to look up (the same result as below, without the pieces).
  if (!text.includes('<') && !text.includes('&')) return boldToMarkdown(text)
  const pieces = tokenize(text)
  const people = new Set<string>()
  const channels = new Set<string>()
  for (const p of pieces) {
    if (p.kind === 'person' && !p.label) people.add(p.id)
    if (p.kind === 'channel' && !p.label) channels.add(p.id)
  }
  const resolved = new Map<string, string | undefined>()
  await Promise.all([
    ...[...people].map(async (id) => resolved.set(`@${id}`, await names.personName(id).catch(() => undefined))),
    ...[...channels].map(async (id) => resolved.set(`#${id}`, await names.conversationName(id).catch(() => undefined))),
  ])
  return (
    pieces
      // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind, so each piece returns.
      .map((p) => {
        switch (p.kind) {
          case 'text':
            return boldToMarkdown(unescapeSlack(p.text))
          case 'done':
            return p.text
          case 'person':
            return `@${p.label ?? resolved.get(`@${p.id}`) ?? p.id}`
          case 'channel':
            return `#${p.label ?? resolved.get(`#${p.id}`) ?? p.id}`
        }
      })
      .join('')
  )
}
