/**
 * Teams message bodies (Graph `body.contentType: "html"`) → Beacon's markdown subset. Hand-written
 * rather than a dependency: Teams emits a small, regular HTML vocabulary, and what matters is that
 * saved knowledge reads cleanly (mentions as @Name, links kept, no tags or entities left over).
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

export function htmlToMarkdown(html: string): string {
  let out = ''
  const links: { href: string; start: number }[] = []
  let dropDepth = 0
  const newline = (n: number) => {
    const trailing = /\n*$/.exec(out)?.[0].length ?? 0
    if (out.length > 0 && trailing < n) out += '\n'.repeat(n - trailing)
  }
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(\/?)>|<!--[\s\S]*?-->|([^<]+)|</g
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const [whole, closing, rawTag, attrs = '', selfClosing, text] = m
    if (text !== undefined || rawTag === undefined) {
      if (dropDepth > 0 || whole.startsWith('<!--')) continue
      // Source newlines are HTML whitespace, not line breaks.
      out += decodeEntities((text ?? whole).replace(/\s+/g, ' '))
      continue
    }
    const tag = rawTag.toLowerCase()
    if (DROP.has(tag)) {
      if (!closing && !selfClosing) dropDepth++
      else if (closing) dropDepth = Math.max(0, dropDepth - 1)
      continue
    }
    if (dropDepth > 0) continue
    switch (tag) {
      case 'br':
        out = out.replace(/ +$/, '') + '\n'
        break
      case 'li':
        if (!closing) {
          newline(1)
          out += '- '
        } else newline(1)
        break
      case 'strong':
      case 'b':
        out += '**'
        break
      case 'em':
      case 'i':
        out += '_'
        break
      case 'code':
        out += '`'
        break
      case 'at':
        // Teams mention: <at id="0">Alice Smith</at> → @Alice Smith
        if (!closing) out += '@'
        break
      case 'a':
        if (!closing) links.push({ href: attr(attrs, 'href') ?? '', start: out.length })
        else {
          const link = links.pop()
          if (link?.href && /^(https?:|mailto:)/i.test(link.href)) {
            const label = out.slice(link.start).trim()
            out = out.slice(0, link.start) + (label === '' || label === link.href ? link.href : `[${label}](${link.href})`)
          }
        }
        break
      case 'img': {
        const src = attr(attrs, 'src')
        if (src && /^https?:/i.test(src)) out += `[${attr(attrs, 'alt') || 'image'}](${src})`
        break
      }
      default:
        if (BLOCK.has(tag)) newline(2)
    }
  }
  return out
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\*\*\s*\*\*|__/g, '')
    .trim()
}
