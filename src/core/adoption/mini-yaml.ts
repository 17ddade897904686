/**
 * The small YAML subset the teams and departments files use — block mappings, block sequences of
 * scalars or mappings, flow sequences `[a, b]`, quoted or plain scalars and `#` comments — so Beacon
 * does not take a YAML dependency for two configuration files. Anchors, multi-line strings and
 * flow mappings are refused with a line number rather than misread.
 */
export type YamlValue = string | YamlValue[] | { [k: string]: YamlValue }

export class YamlError extends Error {}

interface Line {
  indent: number
  text: string
  no: number
}

function scalar(raw: string, no: number): YamlValue {
  const s = raw.trim()
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw new YamlError(`line ${no}: unclosed [`)
    const inner = s.slice(1, -1).trim()
    return inner ? inner.split(',').map((x) => scalar(x, no)) : []
  }
  if (/^[&*!|>{]/.test(s)) throw new YamlError(`line ${no}: unsupported YAML (${s[0]})`)
  const q = /^"((?:[^"\\]|\\.)*)"$|^'((?:[^']|'')*)'$/.exec(s)
  if (q) return q[1] !== undefined ? (JSON.parse(`"${q[1]}"`) as string) : q[2]!.replace(/''/g, "'")
  return s
}

function stripComment(s: string): string {
  // A "#" starts a comment at line start or after whitespace, outside quotes.
  let quote = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) return s.slice(0, i)
  }
  return s
}

export function parseYaml(src: string): YamlValue {
  const lines: Line[] = []
  src.split(/\r?\n/).forEach((raw, i) => {
    if (raw.includes('\t')) throw new YamlError(`line ${i + 1}: tabs are not allowed in YAML indentation`)
    const text = stripComment(raw).trimEnd()
    if (text.trim() && text.trim() !== '---') lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), no: i + 1 })
  })
  let pos = 0
  const block = (indent: number): YamlValue => {
    const first = lines[pos]
    if (!first || first.indent < indent) return ''
    if (first.text.startsWith('- ') || first.text === '-') {
      const out: YamlValue[] = []
      while (pos < lines.length && lines[pos]!.indent === first.indent && lines[pos]!.text.startsWith('-')) {
        const l = lines[pos]!
        const rest = l.text.slice(1).trim()
        if (!rest) {
          pos++
          out.push(block(first.indent + 1))
        } else if (/^[^"'[\]{}]+?:(\s|$)/.test(rest)) {
          // "- key: value" starts a mapping whose other keys sit under "key".
          lines[pos] = { indent: first.indent + 2, text: rest, no: l.no }
          out.push(block(first.indent + 2))
        } else {
          pos++
          out.push(scalar(rest, l.no))
        }
      }
      return out
    }
    const out: Record<string, YamlValue> = {}
    while (pos < lines.length && lines[pos]!.indent === first.indent) {
      const l = lines[pos]!
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?:\s+(.*))?$/.exec(l.text)
      if (!m) throw new YamlError(`line ${l.no}: expected "key: value"`)
      const key = scalar(m[1]!, l.no) as string
      pos++
      const next = lines[pos]
      // "key:" followed by "- item" lines at the same indentation is a sequence too (common style).
      const sameLevelList = next !== undefined && next.indent === first.indent && next.text.startsWith('-')
      out[key] = m[2] !== undefined && m[2] !== '' ? scalar(m[2], l.no) : block(sameLevelList ? first.indent : first.indent + 1)
    }
    if (pos < lines.length && lines[pos]!.indent > first.indent) throw new YamlError(`line ${lines[pos]!.no}: unexpected indentation`)
    return out
  }
  const v = block(0)
  if (pos < lines.length) throw new YamlError(`line ${lines[pos]!.no}: unexpected indentation`)
  return v
}
