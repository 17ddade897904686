import { describe, expect, it } from 'vitest'
import { runShellScript as script } from '../../support/shell-script.ts'

describe('local shell', () => {
  it('posts messages and threaded replies, and shows a whole thread', async () => {
    const { out } = await script(['where is the VPN guide?', '/as bob', '/reply 1 in the wiki, under IT', '/thread 1'])
    expect(out).toContain('[#general] Alice #1: where is the VPN guide?')
    expect(out).toContain('[#general ↳ thread #1] Bob #2: in the wiki, under IT')
    const thread = out.slice(out.lastIndexOf('/thread 1'))
    expect(thread).toMatch(/Alice #1: where is the VPN guide\?\n.*Bob #2: in the wiki, under IT/)
  })

  it('keeps private channels private: only members can join', async () => {
    const { out } = await script(['/as bob', '/join #leadership', '/as carol', '/join leadership', 'budget is approved'])
    expect(out).toContain('#leadership is private and bob is not a member')
    expect(out).toContain('[#leadership] Carol #1: budget is approved')
  })

  it('lets people edit and delete only their own messages', async () => {
    const { out } = await script(['hello', '/as dave', '/edit 1 hijacked', '/delete 1', '/as alice', '/edit 1 hello all'])
    expect(out.match(/You can only edit your own messages/g)).toHaveLength(1)
    expect(out).toContain('You can only delete your own messages')
    expect(out).toContain('(#1 edited)')
  })

  it('answers Beacon help privately and explains mistakes without stopping', async () => {
    const { out } = await script(['/help', '/frobnicate', '/reply', '/react 99 bookmark', '/as nobody', 'still here'])
    expect(out).toMatch(/Beacon \(only you\):\n\s+Beacon help/)
    expect(out).toContain('Unknown command /frobnicate')
    expect(out).toContain('Usage: /reply <#id> <text>')
    expect(out).toContain('There is no message #99')
    expect(out).toContain('No such person: nobody')
    expect(out).toContain('Alice #1: still here')
  })

  it('takes odd unicode and very long lines as ordinary text', async () => {
    const long = 'ж'.repeat(5000)
    const { out } = await script(['👩🏽‍💻 résumé ‏שלום‎ 你好 \u0000', long])
    expect(out).toContain('Alice #1: 👩🏽‍💻 résumé')
    expect(out).toContain(`Alice #2: ${long}`)
  })
})
