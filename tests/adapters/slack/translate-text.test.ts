import { describe, expect, it } from 'vitest'
import { slackToBeaconText, unescapeSlack, type NameResolver } from '../../../adapters/slack/translate-text.ts'

const calls: string[] = []
const names: NameResolver = {
  personName: async (id) => {
    calls.push(id)
    return ({ U1: 'Ada Lovelace', U2: 'Grace' } as Record<string, string>)[id]
  },
  conversationName: async (id) => (({ C9: 'ops' }) as Record<string, string>)[id],
}
const t = (s: string) => slackToBeaconText(s, names)

describe('slackToBeaconText', () => {
  it('resolves people, with and without a label, each id once', async () => {
    calls.length = 0
    expect(await t('hi <@U1> and <@U1>, cc <@U2|grace.h> and <@U404>')).toBe('hi @Ada Lovelace and @Ada Lovelace, cc @grace.h and @U404')
    expect(calls.sort()).toEqual(['U1', 'U404'])
  })

  it('resolves channels by label or lookup', async () => {
    expect(await t('see <#C1|general> and <#C9> and <#C0>')).toBe('see #general and #ops and #C0')
  })

  it('turns links into markdown, keeps bare links and mailto labels', async () => {
    expect(await t('<https://example.com/a?b=1&amp;c=2|the docs> or <https://x.io> or <mailto:a@b.co|a@b.co>')).toBe(
      '[the docs](https://example.com/a?b=1&c=2) or https://x.io or a@b.co',
    )
  })

  it('shows special mentions as Slack does', async () => {
    expect(await t('<!here> <!channel> <!subteam^S1|@eng> <!date^1392734382^{date}|Feb 18, 2014>')).toBe('@here @channel @eng Feb 18, 2014')
  })

  it('unescapes &amp; &lt; &gt; exactly once', async () => {
    expect(await t('a &lt;b&gt; &amp; c &amp;lt;')).toBe('a <b> & c &lt;')
    expect(unescapeSlack('&amp;amp;')).toBe('&amp;')
  })

  it('converts Slack *bold* at word edges only', async () => {
    expect(await t('this is *important*, 2*3*4 is not')).toBe('this is **important**, 2*3*4 is not')
  })

  it('leaves odd unicode intact', async () => {
    const s = '👩🏽‍💻 café ﬁ שלום \u200b مرحبا 𝔘𝔫𝔦 :tada:'
    expect(await t(s)).toBe(s)
    expect(await t('<@U2> 👍🏿')).toBe('@Grace 👍🏿')
  })

  it('survives a lookup that throws', async () => {
    const failing: NameResolver = { personName: () => Promise.reject(new Error('down')), conversationName: async () => undefined }
    expect(await slackToBeaconText('<@U1>', failing)).toBe('@U1')
  })

  it('does not treat unbalanced angle brackets as tokens', async () => {
    expect(await t('a < b and c > d')).toBe('a < b and c > d')
  })
})
