/**
 * One WebClient per workspace token, and the answer to "which token serves team T?": the single
 * SLACK_BOT_TOKEN, or the installation stored by OAuth. Everything that calls Slack outside a Bolt
 * listener (jobs, the ChatPlatform) goes through here, so multi-workspace routing lives in one place.
 */
import { webApi } from './bolt.ts'
import { BeaconError } from '../../src/core/errors.ts'
import type { SealedInstallationStore } from './installation-store.ts'

export type WebClient = InstanceType<typeof webApi.WebClient>
export type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>

export interface TeamAuth {
  teamId: string
  teamName?: string
  token: string
  botUserId?: string
  botId?: string
}

/**
 * 429s are retried after Retry-After by the WebClient itself (rejectRateLimitedCalls stays false);
 * these are the retries for network errors and 5xx: five tries over about a minute, not the
 * default thirty minutes, because a reply nobody waits for any more is worse than a logged failure.
 */
export const RETRY_CONFIG = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 20_000, randomize: true } as const

export class SlackClients {
  private readonly pool = new Map<string, WebClient>()
  private single: TeamAuth | undefined

  constructor(
    private readonly options: WebClientOptions,
    private readonly source: { botToken: string } | { installations: SealedInstallationStore },
  ) {}

  /** A client bound to a token (pooled: each keeps its own rate-limit queue). */
  clientFor(token: string): WebClient {
    let c = this.pool.get(token)
    if (!c) {
      c = new webApi.WebClient(token, this.options)
      this.pool.set(token, c)
    }
    return c
  }

  /** Single-workspace mode: who the bot token belongs to (auth.test, once). */
  async bootstrapSingle(): Promise<TeamAuth> {
    if (!('botToken' in this.source)) throw new Error('bootstrapSingle needs SLACK_BOT_TOKEN')
    const token = this.source.botToken
    const r = await this.clientFor(token).auth.test()
    if (!r.team_id) throw new BeaconError('config_invalid', 'auth.test did not return a team id for SLACK_BOT_TOKEN')
    this.single = {
      teamId: r.team_id,
      token,
      ...(r.team ? { teamName: r.team } : {}),
      ...(r.user_id ? { botUserId: r.user_id } : {}),
      ...(r.bot_id ? { botId: r.bot_id } : {}),
    }
    return this.single
  }

  get singleAuth(): TeamAuth | undefined {
    return this.single
  }

  async auth(teamId: string, enterpriseId?: string): Promise<TeamAuth> {
    if ('botToken' in this.source) {
      if (!this.single) await this.bootstrapSingle()
      return { ...this.single!, teamId }
    }
    const inst = await this.source.installations.find({ teamId, enterpriseId, isEnterpriseInstall: false })
    if (!inst?.bot) throw new BeaconError('unavailable', `Beacon is not installed in Slack workspace ${teamId}`)
    return {
      teamId,
      token: inst.bot.token,
      ...(inst.team?.name ? { teamName: inst.team.name } : {}),
      botUserId: inst.bot.userId,
      botId: inst.bot.id,
    }
  }

  async forTeam(teamId: string): Promise<{ client: WebClient; auth: TeamAuth }> {
    const auth = await this.auth(teamId)
    return { client: this.clientFor(auth.token), auth }
  }

  /** Forget a revoked token's client. */
  drop(token: string): void {
    this.pool.delete(token)
  }
}
