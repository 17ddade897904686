/**
 * The composition root's side of each chat adapter: it builds the stores and services an adapter
 * gets (its host) from the context, so adapters never import src/app or src/storage. Each adapter
 * is loaded on demand: the shell and the CLI never pay for Bolt or botbuilder.
 */
import type express from 'express'
import type { SlackAdapterOptions } from '../../adapters/slack/index.ts'
import type { SlackHost } from '../../adapters/slack/host.ts'
import type { TeamsAdapterOptions } from '../../adapters/teams/index.ts'
import type { TeamsHost } from '../../adapters/teams/host.ts'
import type { Adapter, AdapterHost, OpenInbox } from '../core/adapter-host.ts'
import { BeaconError } from '../core/errors.ts'
import type { BeaconContext } from './context.ts'
import { Inbox } from './inbox.ts'
import { deriveKey } from './keys.ts'

function baseHost(ctx: BeaconContext): AdapterHost & { openInbox: OpenInbox } {
  const { log, clock, dispatcher, repos, queue } = ctx
  return { log, clock, dispatcher, repos, queue, openInbox: (source, l, replay) => new Inbox(ctx.storage.inbox, l, source, replay) }
}

export function slackHost(ctx: BeaconContext): SlackHost {
  const config = ctx.config.slack
  if (!config) throw new Error('createSlackAdapter called without Slack configuration')
  const key = ctx.config.encryptionKey
  return {
    ...baseHost(ctx),
    config,
    publicUrl: ctx.config.publicUrl,
    // Older versions sealed tokens with BEACON_ENCRYPTION_KEY itself: still opened, then re-sealed.
    ...(key ? { installations: { rows: ctx.storage.slackInstallations, key: deriveKey(key, 'secrets-at-rest'), previousKeys: [key] } } : {}),
  }
}

export function teamsHost(ctx: BeaconContext): TeamsHost {
  const config = ctx.config.teams
  if (!config) throw new BeaconError('config_invalid', 'the Teams adapter needs MICROSOFT_APP_ID or TEAMS_ANONYMOUS=true')
  return { ...baseHost(ctx), config, references: ctx.storage.teamsReferences }
}

export async function createSlackAdapter(ctx: BeaconContext, http: express.Express, opts: SlackAdapterOptions = {}): Promise<Adapter> {
  return (await import('../../adapters/slack/index.ts')).createSlackAdapter(slackHost(ctx), http, opts)
}

export async function createTeamsAdapter(ctx: BeaconContext, http: express.Express, opts: TeamsAdapterOptions = {}): Promise<Adapter> {
  return (await import('../../adapters/teams/index.ts')).createTeamsAdapter(teamsHost(ctx), http, opts)
}
