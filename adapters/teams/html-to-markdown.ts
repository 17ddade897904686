/**
 * Teams message bodies (Graph `body.contentType: "html"`) → Beacon's markdown subset. Hand-written
 * rather than a dependency: Teams emits a small, regular HTML vocabulary, and what matters is that
 * saved knowledge reads cleanly (mentions as @Name, links kept, no tags or entities left over).
 *
 * One pass, linear in the input: a message may be 1 MB (the Bot Framework body limit), and this
 * runs on the request path. So no regex that can rescan the rest of the input from each "<", and
 * the output is built from parts rather than re-read or re-sliced as it grows.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
    }
    return NAMED[e.toLowerCase()] ?? m
  })
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs)
  return m ? decodeEntities(m[2] ?? m[3] ?? m[4] ?? '') : undefined
}

const BLOCK = new Set(['p', 'div', 'ul', 'ol', 'blockquote', 'pre', 'table', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])
const DROP = new Set(['script', 'style', 'systemeventmessage', 'attachment'])

/** The markdown being built: parts appended, never re-read, with the count of trailing newlines kept. */
class Output {
  readonly parts: string[] = []
  trailingNewlines = 0

  push(s: string): void {
    if (s === '') return
    this.parts.push(s)
    const t = trailingNewlines(s)
    this.trailingNewlines = t === s.length ? this.trailingNewlines + t : t
  }

  /** Ends the current line and leaves n-1 blank lines (never more than there already are). */
  newline(n: number): void {
    if (this.parts.length > 0 && this.trailingNewlines < n) this.push('\n'.repeat(n - this.trailingNewlines))
  }

  /** Everything pushed since `mark` (a parts.length), replaced by one string. */
  replaceSince(mark: number, make: (since: string) => string, trailingBefore: number): void {
    const since = this.parts.splice(mark).join('')
    this.trailingNewlines = trailingBefore
    this.push(make(since))
  }

  toString(): string {
    return this.parts.join('')
  }
}

function trailingNewlines(s: string): number {
  let i = s.length
  while (i > 0 && s.charCodeAt(i - 1) === 10) i--
  return s.length - i
}

/**
 * Teams caps a message at about 28 KB; a body past this is forged or broken (the Bot Framework
 * accepts up to 1 MB), and only its start is read, so the work per message stays small.
 */
export const MESSAGE_MAX_CHARS = 64 * 1024

/** The start of an over-long message body, with a note that it was cut. */
export function capMessage(s: string, convert: (s: string) => string): string {
  if (s.length <= MESSAGE_MAX_CHARS) return convert(s)
  return `${convert(s.slice(0, MESSAGE_MAX_CHARS))}… _(message cut: longer than Teams allows)_`
}

/**
 * A Teams `text` field as plain text: `<at>Name</at>` → @Name, other tags dropped, entities decoded.
 * The same as `text.replace(/<at[^>]*>([\s\S]*?)<\/at>/gi, '@$1').replace(/<[^>]+>/g, '')` in one
 * pass each (those regexes rescan the rest of the text from every unclosed "<at" or "<").
 */
export function stripTags(text: string): string {
  let withMentions = ''
  let copied = 0
  const open = /<at/gi
  const close = /<\/at>/gi
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const gt = text.indexOf('>', m.index + 3)
    if (gt === -1) break
    close.lastIndex = gt + 1
    const end = close.exec(text)
    if (!end) break // no "</at>" after this one means none after any later "<at" either
    withMentions += `${text.slice(copied, m.index)}@${text.slice(gt + 1, end.index)}`
    copied = open.lastIndex = end.index + 5
  }
  withMentions += text.slice(copied)
  let out = ''
  copied = 0
  for (let lt = withMentions.indexOf('<'); lt !== -1; lt = withMentions.indexOf('<', lt + 1)) {
    if (withMentions[lt + 1] === '>' || lt + 1 >= withMentions.length) continue
    const gt = withMentions.indexOf('>', lt + 1)
    if (gt === -1) break
    out += withMentions.slice(copied, lt)
    copied = gt + 1
    lt = gt
  }
  return out + withMentions.slice(copied)
}

const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)/y

interface TokenSink {
  text(t: string): void
  tag(closing: boolean, name: string, attrs: string, selfClosing: boolean): void
}

/**
 * Splits HTML into text runs and tags (comments skipped) in one left-to-right pass. A "<" that
 * starts no tag (no ">" after it) or no comment ("<!--" without "-->") is text, as with the regex
 * this replaced: `<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(\/?)>|<!--[\s\S]*?-->|([^<]+)|<`.
 */
function tokenize(html: string, sink: TokenSink): void {
  let textStart = 0
  let i = 0
  // Once no ">" (or "-->") follows some position, none follows any later one: stop looking.
  let noGtFrom = Infinity
  let noCommentEndFrom = Infinity
  while (i < html.length) {
    const lt = html.indexOf('<', i)
    if (lt === -1) break
    i = lt + 1
    TAG_NAME.lastIndex = lt
    const m = lt < noGtFrom ? TAG_NAME.exec(html) : null
    if (m) {
      const gt = html.indexOf('>', TAG_NAME.lastIndex)
      if (gt === -1) {
        noGtFrom = lt
        continue
      }
      if (lt > textStart) sink.text(html.slice(textStart, lt))
      const selfClosing = html.charCodeAt(gt - 1) === 47 /* "/" */ && gt - 1 >= TAG_NAME.lastIndex
      sink.tag(m[1] === '/', m[2]!.toLowerCase(), html.slice(TAG_NAME.lastIndex, selfClosing ? gt - 1 : gt), selfClosing)
      textStart = i = gt + 1
    } else if (lt < noCommentEndFrom && html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4)
      if (end === -1) {
        noCommentEndFrom = lt
        continue
      }
      if (lt > textStart) sink.text(html.slice(textStart, lt))
      textStart = i = end + 3
    }
    // Otherwise a lone "<": part of the text run.
  }
  if (textStart < html.length) sink.text(html.slice(textStart))
}

export function htmlToMarkdown(html: string): string {
  const out = new Output()
  // HTML has no nested links: a new <a> ends the open one, as browsers do (and a stack of them
  // would re-read its label once per level).
  let link: { href: string; mark: number; trailingBefore: number } | undefined
  const closeLink = () => {
    if (!link) return
    const { href, mark, trailingBefore } = link
    link = undefined
    if (!href || !/^(https?:|mailto:)/i.test(href)) return
    out.replaceSince(
      mark,
      (since) => {
        const label = since.trim()
        return label === '' || label === href ? href : `[${label}](${href})`
      },
      trailingBefore,
    )
  }
  let dropDepth = 0
  tokenize(html, {
    text(t) {
      // Source newlines are HTML whitespace, not line breaks.
      if (dropDepth === 0) out.push(decodeEntities(t.replace(/\s+/g, ' ')))
    },
    tag(closing, tag, attrs, selfClosing) {
      if (DROP.has(tag)) {
        if (!closing && !selfClosing) dropDepth++
        else if (closing) dropDepth = Math.max(0, dropDepth - 1)
        return
      }
      if (dropDepth > 0) return
      switch (tag) {
        case 'br':
          // Spaces before the break go with the per-line trim at the end.
          out.push('\n')
          break
        case 'li':
          out.newline(1)
          if (!closing) out.push('- ')
          break
        case 'strong':
        case 'b':
          out.push('**')
          break
        case 'em':
        case 'i':
          out.push('_')
          break
        case 'code':
          out.push('`')
          break
        case 'at':
          // Teams mention: <at id="0">Alice Smith</at> → @Alice Smith
          if (!closing) out.push('@')
          break
        case 'a':
          closeLink()
          if (!closing) link = { href: attr(attrs, 'href') ?? '', mark: out.parts.length, trailingBefore: out.trailingNewlines }
          break
        case 'img': {
          const src = attr(attrs, 'src')
          if (src && /^https?:/i.test(src)) out.push(`[${attr(attrs, 'alt') || 'image'}](${src})`)
          break
        }
        default:
          if (BLOCK.has(tag)) out.newline(2)
      }
    },
  })
  // An <a> never closed keeps its text, as a link would have been dropped by the old regex too.
  link = undefined
  return out
    .toString()
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\*\*\s*\*\*|__/g, '')
    .trim()
}
