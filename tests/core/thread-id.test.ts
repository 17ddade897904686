import { describe, expect, it } from 'vitest'
import { decodeThreadId, encodeThreadId, threadWorkspace } from '../../src/core/thread-id.ts'

describe('thread ids', () => {
  it('keep Slack ids readable', () => {
    expect(encodeThreadId({ platform: 'slack', workspaceExternalId: 'T1', conversationId: 'C1', rootId: '1712.3' })).toBe('slack:T1:C1:1712.3')
  })

  it('survive Teams conversation ids with colons, semicolons and @', () => {
    const parts = { platform: 'teams' as const, workspaceExternalId: 'tenant-1', conversationId: '19:abc@thread.tacv2;messageid=171', rootId: '171' }
    const id = encodeThreadId(parts)
    expect(decodeThreadId(id)).toEqual(parts)
    expect(threadWorkspace(id)).toBe('teams:tenant-1')
  })

  it('reject anything else with a typed error', () => {
    for (const bad of ['', 'slack:T1:C1', 'irc:a:b:c', 'slack:T1:C1:1:2']) {
      expect(() => decodeThreadId(bad)).toThrowError(expect.objectContaining({ code: 'bad_thread_id' }))
    }
  })
})
