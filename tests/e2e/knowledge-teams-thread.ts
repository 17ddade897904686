/** The Teams channel thread knowledge-teams.test.ts saves: as Graph returns it, with the people in it. */
import { ALICE, BOB, CHANNEL, TEAM, TENANT } from '../adapters/teams/activities.ts'
import type { GraphMessageFixture } from '../support/fake-graph.ts'

export const CAROL = { id: '29:carol-bf-id', name: 'Carol Diaz', aadObjectId: 'aad-carol' }
export const DANA = { id: '29:dana-bf-id', name: 'Dana Scully', aadObjectId: 'aad-dana' }
export const OTHER_TENANT = '0ther000-0000-0000-0000-0000000000ff'

export const ROOT = '1712000100001'
export const TITLE = 'How do we rotate the staging kubeconfig?'
export const WEB_URL = `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/${ROOT}?groupId=${TEAM.aadGroupId}`
export const threadId = `teams:${TENANT}:${encodeURIComponent(CHANNEL.id)}:${ROOT}`

export function msg(id: string, who: { aadObjectId: string; name: string } | 'app', html: string, minute: number): GraphMessageFixture {
  return {
    id,
    replyToId: id === ROOT ? null : ROOT,
    messageType: 'message',
    createdDateTime: `2025-01-10T10:${String(minute).padStart(2, '0')}:00.000Z`,
    from:
      who === 'app'
        ? { user: null, application: { id: 'app-ci', displayName: 'CI Bot' } }
        : { user: { id: who.aadObjectId, displayName: who.name }, application: null },
    body: { contentType: 'html', content: html },
    ...(id === ROOT ? { webUrl: WEB_URL } : {}),
  }
}

/** A channel thread: a root and five replies, so Graph pages it in three (page size 2). */
export const THREAD: GraphMessageFixture[] = [
  msg(ROOT, BOB, '<p>How do we <b>rotate</b> the staging kubeconfig?</p>', 0),
  msg('1712000100002', ALICE, '<p>Ask <at id="0">Bob Chen</at> — he wrote <a href="https://wiki.example.com/rotate">the runbook</a>.</p>', 1),
  msg('1712000100003', CAROL, '<p>Credentials expire every <i>ninety</i> days&nbsp;&amp; need a ticket</p>', 2),
  msg('1712000100004', 'app', '<p>Build 42 passed</p>', 3),
  msg('1712000100005', BOB, '<p>Use the platform-tools repo <span>#ops</span></p>', 4),
  msg('1712000100006', ALICE, '<p>Done, thanks <at id="1">Carol Diaz</at>!</p>', 5),
]
