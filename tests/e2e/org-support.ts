/**
 * One Beacon process serving a fake Slack workspace (T1, "Acme") and fake Teams tenants at once,
 * through composeBeacon as `npm start` does, plus the operator's `beacon org` command as a
 * function. People are driven as each platform sends them: signed slash commands on Slack, Bot
 * Framework personal-chat messages on Teams.
 */
import { expect } from 'vitest'
import { viaCompose, type Harness } from '../adapters/teams/harness.ts'
import { channelMessage, personalConversation, personalMessage, TENANT } from '../adapters/teams/activities.ts'
import { SIGNING_SECRET } from '../adapters/slack/harness.ts'
import { orgCommand, type OrgCommandResult } from '../../src/core/org/admin.ts'
import type { ItemContent } from '../../src/core/knowledge/types.ts'
import type { Privacy } from '../../src/core/model.ts'
import type { Clock } from '../../src/core/ports.ts'
import type { ConnectorCall } from '../support/fake-bot-connector.ts'
import { FakeSlackApi } from '../support/fake-slack-api.ts'
import { SlackDriver, visibleText } from './slack-driver.ts'
import { waitFor } from '../support/wait.ts'

export interface TeamsPerson {
  id: string
  name: string
  aadObjectId: string
  /** What the roster gives as the person's email (Teams: the UPN). */
  upn?: string
}

export interface OrgWorld {
  h: Harness
  slack: FakeSlackApi
  driver: SlackDriver
  /** `beacon org <args>` against this Beacon's database. */
  org(...args: string[]): Promise<OrgCommandResult>
  /** A personal-chat command on Teams; resolves with what Beacon answered there (as one string). */
  teams(who: TeamsPerson, text: string, tenant?: string): Promise<string>
  /** `@Beacon <text>` in the Teams channel (a public, standard channel); resolves with what Beacon sent. */
  teamsChannel(who: TeamsPerson, text: string): Promise<string>
  /** A slash command on Slack in C1; resolves with what the person saw. */
  slackCommand(user: string, command: string, text: string): Promise<string>
  close(): Promise<void>
}

export async function startOrgWorld(env: Record<string, string> = {}, clock?: Clock): Promise<OrgWorld> {
  const slack = await new FakeSlackApi().start()
  const h = await viaCompose({
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl, ...env },
    ...(clock ? { clock } : {}),
  })
  const driver = new SlackDriver(`${h.url}/slack/events`, slack)
  return {
    h,
    slack,
    driver,
    org: (...args) => orgCommand({ orgs: h.ctx.repos.orgs, workspaces: h.ctx.repos.workspaces, clock: h.ctx.clock }, args),
    async teams(who, text, tenant = TENANT) {
      const conversationId = `a:1personal-${who.aadObjectId}-${tenant.slice(0, 8)}`
      // The roster of the person's own chat: what TeamsInfo.getMember reads their UPN from.
      h.connector.members.set(conversationId, [
        { id: who.id, name: who.name, aadObjectId: who.aadObjectId, ...(who.upn ? { userPrincipalName: who.upn } : {}) },
      ])
      const activity = {
        ...personalMessage(h.connector.serviceUrl, text),
        from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
        conversation: { ...personalConversation, id: conversationId, tenantId: tenant },
        channelData: { tenant: { id: tenant } },
      }
      const before = h.connector.messages().length
      const res = await h.post(activity)
      expect(res.status).toBe(200)
      const reply: ConnectorCall = await waitFor(
        () =>
          h.connector
            .messages()
            .slice(before)
            .find((c) => c.conversationId === conversationId),
        `the Teams reply to "${text}"`,
      )
      return JSON.stringify(reply.body ?? {})
    },
    async teamsChannel(who, text) {
      const before = h.connector.messages().length
      const res = await h.post({
        ...channelMessage(h.connector.serviceUrl, text, { mention: true }),
        from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId },
      })
      expect(res.status).toBe(200)
      await waitFor(() => h.connector.messages().length > before, `an answer to "${text}"`)
      return h.connector
        .messages()
        .slice(before)
        .map((c) => JSON.stringify(c.body ?? {}))
        .join('\n')
    },
    async slackCommand(user, command, text) {
      return visibleText(await driver.command(text, user, 'C1', command))
    },
    async close() {
      await h.close()
      await slack.stop()
    },
  }
}

let seq = 0

/** A saved thread, stored as a capture would store it (saving itself is proven by knowledge-*.test.ts). */
export function itemContent(
  workspace: string,
  o: { title: string; body: string; conversation: { id: string; name: string; privacy: Privacy }; permalink: string },
): ItemContent {
  const n = ++seq
  return {
    workspace,
    threadId: `${workspace}:${o.conversation.id}:${n}`,
    conversation: o.conversation,
    rootMessageId: String(n),
    title: o.title,
    body: o.body,
    searchText: `${o.title}\n${o.body}`,
    tags: [],
    contributors: [],
    permalink: o.permalink,
    messageCount: 1,
  }
}
