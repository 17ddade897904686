/**
 * Parsing on the request path is linear. Each pathological input below is sized so the old
 * quadratic code needed minutes (1 MB of Teams HTML: 282 s; 40k characters of "[": ~1 s per
 * message, 19 s per 50-message thread refresh): at this size the test timeout is the speed guard,
 * with two orders of magnitude to spare for the linear code on a busy machine. Precise timings are
 * in `npm run bench -- parsing`. Correctness is checked against the regexes the scanners replace.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { capMessage, htmlToMarkdown, MESSAGE_MAX_CHARS, stripTags } from '../../adapters/teams/html-to-markdown.ts'
import { plainText } from '../../adapters/teams/translate-activity.ts'
import { markdownToMrkdwn } from '../../adapters/slack/render-block-kit.ts'
import { hashtags } from '../../src/core/knowledge/build-item.ts'
import { markdownToPlain, replaceLinks } from '../../src/core/outbound.ts'

const MB = 1_000_000
const OLD_LINK = /\[([^\]]+)\]\(([^)\s]+)\)/g

describe('links in markdown', () => {
  it('finds exactly the links the old regex found, on any mix of brackets, parens and spaces', () => {
    const fragment = fc.constantFrom('[', ']', '(', ')', ' ', '\n', 'a', 'b', '](', '[a](b)', 'http://x.test')
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 40 }).map((xs) => xs.join('')),
        (text) => {
          const mark = (label: string, url: string) => `<${label}|${url}>`
          expect(replaceLinks(text, mark)).toBe(text.replace(OLD_LINK, (_m, l: string, u: string) => mark(l, u)))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('a 40,000-character message of unclosed brackets renders as typed, links around it intact', () => {
    const cases = ['['.repeat(40_000), '[a'.repeat(20_000), '[a]('.repeat(10_000), '[a](x'.repeat(8_000), ']('.repeat(20_000)]
    for (const junk of cases) {
      // No "]" then "(url)" closes any of these brackets, so the text stays as typed (the old regex agrees).
      const text = `see [guide](https://x.test/g) and [faq](https://x.test/f) ${junk}`
      // Fifty of them: one refresh of the thread from the issue.
      for (let i = 0; i < 50; i++) expect(markdownToPlain(text)).toBe(`see guide (https://x.test/g) and faq (https://x.test/f) ${junk}`)
      expect(markdownToMrkdwn(text)).toBe(`see <https://x.test/g|guide> and <https://x.test/f|faq> ${junk}`)
      expect(hashtags([`#vpn ${junk}`])).toEqual(['vpn'])
    }
  })

  it('hashtags inside link targets are still not tags', () => {
    expect(hashtags(['see [doc](https://x.test/#frag) #real and [x](#nope)'])).toEqual(['real'])
  })
})

describe('Teams HTML to markdown', () => {
  it('reads nested and odd HTML the way a browser would', () => {
    // A link inside a link ends the first one (HTML has no nested links).
    expect(htmlToMarkdown('<p>see <a href="https://a.test">one <a href="https://b.test">two</a> three</a> end</p>')).toBe(
      'see [one](https://a.test)[two](https://b.test) three end',
    )
    // A "<" that opens nothing is text; an unclosed comment is text; tags are case-insensitive.
    expect(htmlToMarkdown('a < b <!-- open <P>x</P> 1<2')).toBe('a < b <!-- open\n\nx\n\n1<2')
    expect(htmlToMarkdown('<DIV>Hi<BR/>there</DIV><ul><li>x<li>y</ul><!-- note -->z')).toBe('Hi\nthere\n\n- x\n- y\n\nz')
    // Emphasis around a mention, a link whose text is its address, an image, entities.
    expect(
      htmlToMarkdown(
        '<b><at id="1">Ann</at></b> <a href="https://c.test">https://c.test</a> <img alt="chart" src="https://i.test/c.png"> &amp;&#x41;&#66;',
      ),
    ).toBe('**@Ann** https://c.test [chart](https://i.test/c.png) &AB')
    // Script content never shows, even with tags inside it.
    expect(htmlToMarkdown('<p>a<script>if (x < 1) { y("<p>") }</script>b</p>')).toBe('ab')
  })

  it('1 MB of hostile HTML (the Bot Framework body limit) converts, in every shape that was quadratic', () => {
    expect(htmlToMarkdown('x<p>'.repeat(MB / 4))).toBe(
      Array(MB / 4)
        .fill('x')
        .join('\n\n'),
    )
    expect(htmlToMarkdown('<li>'.repeat(MB / 4))).toBe(
      Array(MB / 4)
        .fill('-')
        .join('\n'),
    )
    expect(htmlToMarkdown('a <br>'.repeat(MB / 6))).toBe(
      Array(Math.floor(MB / 6))
        .fill('a')
        .join('\n'),
    )
    expect(htmlToMarkdown('<a'.repeat(MB / 2))).toBe('<a'.repeat(MB / 2))
    expect(htmlToMarkdown('<!--'.repeat(MB / 4))).toBe('<!--'.repeat(MB / 4))
    expect(htmlToMarkdown('<a href="https://x.test/">y</a> '.repeat(MB / 33))).toBe(
      Array(Math.floor(MB / 33))
        .fill('[y](https://x.test/)')
        .join(' '),
    )
    expect(htmlToMarkdown(`<p>${'word '.repeat(MB / 5)}</p>`)).toBe('word '.repeat(MB / 5).trim())
  })
})

describe('Teams text fields', () => {
  it('strips tags exactly as the old regexes did, on any mix of tags, mentions and brackets', () => {
    const fragment = fc.constantFrom('<', '>', '<at>', '<AT id="1">', '</at>', '</At>', '<b>', 'x', ' ', '<>', '<at', 'at>')
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 30 }).map((xs) => xs.join('')),
        (text) => {
          expect(stripTags(text)).toBe(text.replace(/<at[^>]*>([\s\S]*?)<\/at>/gi, '@$1').replace(/<[^>]+>/g, ''))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('1 MB of unclosed tags and mentions as plain text: the start is read, and the cut is said', () => {
    expect(stripTags('<at'.repeat(MB / 3))).toBe('<at'.repeat(MB / 3))
    expect(stripTags(`${'<at>'.repeat(MB / 4)}x`)).toBe('x')
    expect(stripTags(`<at>Ann</at>${'<'.repeat(MB)}`)).toBe(`@Ann${'<'.repeat(MB)}`)
    for (const junk of ['<at'.repeat(MB / 3), '<at>'.repeat(MB / 4), '<'.repeat(MB), '<x '.repeat(MB / 3)]) {
      const read = capMessage(junk, plainText)
      expect(read.endsWith('… _(message cut: longer than Teams allows)_')).toBe(true)
      expect(read.length).toBeLessThan(MESSAGE_MAX_CHARS + 100)
    }
  })
})
