/**
 * People named by @mention, including colleagues who never talked to Beacon. A Teams mention
 * entity carries the person's "29:" id and display name; the roster (Bot Connector members of the
 * conversation or of a team Beacon is in) confirms they are a real member and gives their AAD
 * object id, Beacon's person id. Confirmed people are remembered (people cache and the 29: ↔ AAD
 * map), so the core resolves them by id, never by guessing from a name two people may share.
 *
 * In a personal chat people type "@Name" without a mention entity; then the rosters of the teams
 * Beacon is in are read (paged members), at most every few minutes per team.
 */
import { type CloudAdapter, TeamsInfo, TurnContext } from './botbuilder.ts'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import { finishedWithin } from '../../src/core/deadline.ts'
import type { WorkspaceId } from '../../src/core/model.ts'
import { runProactive } from './proactive.ts'
import type { TeamsDirectory } from './references.ts'
import type { Where } from './translate-activity.ts'

/** Roster calls happen while Teams waits for the HTTP answer: they get this long in total. */
const BUDGET_MS = 2_500
const MAX_MENTIONS = 10
const MAX_TEAMS = 5
const ROSTER_REFRESH_MS = 10 * 60_000
const PAGE_SIZE = 200
const MAX_PAGES = 10

interface Member {
  id: string
  name?: string
  aadObjectId?: string
}

export interface ConfirmedMention {
  /** Exactly as it appears in the activity text, e.g. "<at>Dana Scully</at>". */
  text: string
  personId: string
  displayName: string
}

export class Roster {
  private readonly refreshed = new Map<string, number>()

  constructor(
    private readonly host: AdapterHost,
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: TeamsDirectory,
  ) {}

  /** Every person @mentioned in the activity (not Beacon), confirmed through the roster. */
  async confirmMentions(context: TurnContext, where: Where): Promise<ConfirmedMention[]> {
    const botId = context.activity.recipient.id
    const mentions = TurnContext.getMentions(context.activity)
      .filter((m) => m.mentioned?.id && m.mentioned.id !== botId && typeof m.text === 'string' && m.text.length > 0)
      .slice(0, MAX_MENTIONS)
    const out: ConfirmedMention[] = []
    await this.within(async () => {
      for (const m of mentions) {
        const person = await this.confirm(context, where, m.mentioned.id, m.mentioned.name)
        if (person) out.push({ text: m.text, ...person })
      }
    })
    return out
  }

  /** "@Name" typed in a personal chat: make sure the tenant's team rosters are in the people cache. */
  async refreshRosters(workspace: WorkspaceId): Promise<void> {
    await this.within(async () => {
      for (const team of (await this.directory.repo.teamsOf(workspace)).slice(0, MAX_TEAMS)) {
        const key = `${workspace} ${team.teamId}`
        if (Date.now() - (this.refreshed.get(key) ?? 0) < ROSTER_REFRESH_MS) continue
        this.refreshed.set(key, Date.now())
        const ref = (await this.directory.reference(workspace, team.conversationId))?.ref
        if (!ref) continue
        let token: string | undefined
        for (let page = 0; page < MAX_PAGES; page++) {
          let members: Member[] = []
          await runProactive(this.adapter, this.appId, ref, async (tc) => {
            const r = await TeamsInfo.getPagedTeamMembers(tc, team.teamId, PAGE_SIZE, token)
            members = r.members
            token = r.continuationToken
          })
          for (const m of members) await this.remember(workspace, m, m.name)
          if (!token) break
        }
      }
    })
  }

  /** Known already (cheap), else asked of this conversation's roster, else of each team Beacon is in. */
  private async confirm(
    context: TurnContext,
    where: Where,
    botUserId: string,
    mentionedName: string | undefined,
  ): Promise<{ personId: string; displayName: string } | undefined> {
    const ws = where.workspace
    const known = await this.directory.repo.personIdForBotUser(ws, botUserId)
    const person = known && (await this.host.repos.people.get(ws, known))
    if (person) return { personId: person.id, displayName: person.displayName }
    let member = where.kind === 'personal' ? undefined : await this.ask(() => TeamsInfo.getMember(context, botUserId))
    for (const team of member ? [] : (await this.directory.repo.teamsOf(ws)).slice(0, MAX_TEAMS)) {
      if (team.teamId === where.teamId) continue
      const ref = (await this.directory.reference(ws, team.conversationId))?.ref
      if (!ref) continue
      member = await this.ask(async () => {
        let found: Member | undefined
        await runProactive(this.adapter, this.appId, ref, async (tc) => {
          found = await TeamsInfo.getTeamMember(tc, team.teamId, botUserId)
        })
        return found
      })
      if (member) break
    }
    if (!member?.aadObjectId) {
      this.host.log.info({ mentioned: botUserId }, 'a mentioned person is in no roster Beacon can see')
      return undefined
    }
    const displayName = await this.remember(ws, member, mentionedName)
    return { personId: member.aadObjectId, displayName }
  }

  /** A roster answer; "not a member" (404) and lookup failures read as "not confirmed". */
  private async ask(lookup: () => Promise<Member | undefined>): Promise<Member | undefined> {
    try {
      return await lookup()
    } catch (err) {
      this.host.log.debug({ err }, 'teams roster lookup found nobody')
      return undefined
    }
  }

  private async remember(ws: WorkspaceId, m: Member, fallbackName: string | undefined): Promise<string> {
    const id = m.aadObjectId
    const name = m.name || fallbackName || id || m.id
    if (!id) return name
    if ((await this.directory.repo.personIdForBotUser(ws, m.id)) !== id) await this.directory.repo.rememberUser(ws, id, m.id)
    const existing = await this.host.repos.people.get(ws, id)
    if (existing?.displayName !== name)
      await this.host.repos.people.upsert({ workspace: ws, id, displayName: name, timezone: existing?.timezone ?? 'UTC', isBot: false })
    return name
  }

  /** Runs roster work for at most BUDGET_MS; what finishes later still lands in the cache. */
  private async within(work: () => Promise<void>): Promise<void> {
    await finishedWithin(
      work().catch((err: unknown) => this.host.log.warn({ err }, 'teams roster lookup failed')),
      BUDGET_MS,
    )
  }
}

/**
 * Replaces each confirmed mention's markup with the core's unambiguous `<@id|Name>` token. Private
 * placeholders carry them through the markup stripping of `plainText`.
 */
export function withMentionTokens(text: string, mentions: ConfirmedMention[], toPlain: (s: string) => string): string {
  // The placeholders are private-use characters; any already in the text are dropped first.
  let marked = text.replace(/[\uE000\uE001]/g, '')
  mentions.forEach((m, i) => {
    marked = marked.split(m.text).join(`\uE000${i}\uE001`)
  })
  return toPlain(marked).replace(/\uE000(\d+)\uE001/g, (_, i: string) => {
    const m = mentions[Number(i)]!
    return `<@${m.personId}|${m.displayName.replace(/[<>|]/g, '')}>`
  })
}
