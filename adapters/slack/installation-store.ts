/**
 * Bolt InstallationStore backed by SQLite, tokens encrypted at rest. Bolt's InstallProvider calls
 * storeInstallation after the OAuth redirect and fetchInstallation (through authorize) for every
 * incoming request, so the fetch path stays a single indexed read plus one AES-GCM open.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt'
import { z } from 'zod'
import type { SlackInstallationRepository } from '../../src/core/adapter-stores.ts'
import type { SecretBox } from './secret-box.ts'

/** The part of an Installation Beacon relies on; the rest is kept as Slack sent it. */
const storedInstallation = z.looseObject({
  team: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  enterprise: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  bot: z.looseObject({ token: z.string(), id: z.string(), userId: z.string(), scopes: z.array(z.string()) }).optional(),
  isEnterpriseInstall: z.boolean().optional(),
})

export class InstallationNotFound extends Error {
  constructor(key: string) {
    super(`no Slack installation for ${key}`)
    this.name = 'InstallationNotFound'
  }
}

export interface InstallationHooks {
  /** After a successful install: register the workspace. */
  onStored?(installation: Installation): Promise<void>
}

function keyOf(q: { isEnterpriseInstall?: boolean | undefined; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  const key = q.isEnterpriseInstall ? q.enterpriseId : q.teamId
  if (!key) throw new Error('installation query has neither a team id nor an enterprise id')
  return key
}

export class SealedInstallationStore implements InstallationStore {
  constructor(
    private readonly rows: SlackInstallationRepository,
    private readonly box: SecretBox,
    private readonly hooks: InstallationHooks = {},
  ) {}

  async storeInstallation<V extends 'v1' | 'v2'>(installation: Installation<V, boolean>): Promise<void> {
    const key = keyOf({
      isEnterpriseInstall: installation.isEnterpriseInstall,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    })
    await this.rows.upsert({
      key,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
      botUserId: installation.bot?.userId ?? null,
      secret: this.box.seal(JSON.stringify(installation), key),
    })
    await this.hooks.onStored?.(installation as Installation)
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const found = await this.find(query)
    if (!found) throw new InstallationNotFound(keyOf(query))
    return found
  }

  /** Like fetchInstallation, but undefined instead of throwing when there is none. */
  async find(query: {
    isEnterpriseInstall?: boolean
    enterpriseId?: string | undefined
    teamId?: string | undefined
  }): Promise<Installation | undefined> {
    let row = await this.rows.get(keyOf(query))
    // A workspace of an org-wide install has no row of its own: fall back to the org's.
    if (!row && !query.isEnterpriseInstall && query.enterpriseId) row = await this.rows.get(query.enterpriseId)
    if (!row) return undefined
    const { plaintext, stale } = this.box.openAny(row.secret, row.key)
    const parsed = storedInstallation.parse(JSON.parse(plaintext))
    // Sealed by an older Beacon with the raw BEACON_ENCRYPTION_KEY: seal it again with the derived key.
    if (stale) await this.rows.reseal(row.key, row.secret, this.box.seal(plaintext, row.key))
    return parsed as unknown as Installation
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.rows.remove(keyOf(query))
  }
}
