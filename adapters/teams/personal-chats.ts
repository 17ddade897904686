/**
 * The first DM to someone who never opened a chat with Beacon: the Bot Connector creates the 1:1
 * conversation (from any conversation Beacon knows in the tenant), and its reference is stored so
 * the next DM goes straight there. A refusal is remembered, so jobs do not ask again and again.
 */
import { type CloudAdapter, TurnContext } from './botbuilder.ts'
import type { AdapterHost } from '../../src/core/adapter-host.ts'
import { BeaconError } from '../../src/core/errors.ts'
import type { PersonRef } from '../../src/core/model.ts'
import { permanentRefusal, personUndeliverable } from './proactive.ts'
import type { Reference, TeamsDirectory } from './references.ts'

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com'

export interface PersonalChatDeps {
  host: AdapterHost
  adapter: CloudAdapter
  appId: string
  directory: TeamsDirectory
}

export async function openPersonalChat(d: PersonalChatDeps, person: PersonRef): Promise<Reference> {
  const ws = person.workspace
  const any = await d.directory.repo.latest(ws)
  const base = any && (await d.directory.reference(ws, any.conversationId))?.ref
  if (!base) throw new BeaconError('not_found', `Beacon has no Teams conversation in ${ws} to reach ${person.id} from`)
  const tenantId = ws.slice('teams:'.length)
  const botUserId = (await d.directory.repo.botUserId(ws, person.id)) ?? person.id
  const name = (await d.host.repos.people.get(ws, person.id))?.displayName ?? person.displayName ?? 'this person'
  // Teams already refused a chat with them: don't ask again on every job (no retry storm).
  const refused = await d.directory.repo.userUnreachable(ws, person.id)
  if (refused) throw personUndeliverable(name, refused.reason)
  let created: Reference | undefined
  try {
    await createChat(d, base, botUserId, person, tenantId, (r) => (created = r))
  } catch (err) {
    const reason = permanentRefusal(err)
    if (!reason) throw err
    await d.directory.repo.markUserUnreachable(ws, person.id, botUserId, reason, d.host.clock.now())
    d.host.log.warn({ personId: person.id, reason }, 'teams refused a 1:1 chat; not retrying until they talk to Beacon')
    throw personUndeliverable(name, reason, err)
  }
  if (!created) throw new BeaconError('platform_error', `could not open a Teams chat with ${person.id}`)
  await d.directory.repo.upsert({ workspace: ws, conversationId: created.conversation.id, kind: 'personal', personId: person.id, reference: created })
  return created
}

async function createChat(
  d: PersonalChatDeps,
  base: Reference,
  botUserId: string,
  person: PersonRef,
  tenantId: string,
  onCreated: (r: Reference) => void,
): Promise<void> {
  await d.adapter.createConversationAsync(
    d.appId,
    base.channelId,
    base.serviceUrl,
    BOT_FRAMEWORK_AUDIENCE,
    {
      isGroup: false,
      bot: base.bot,
      members: [{ id: botUserId, name: person.displayName ?? '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    },
    async (tc) => {
      const r = TurnContext.getConversationReference(tc.activity)
      onCreated({
        ...r,
        serviceUrl: base.serviceUrl,
        channelId: base.channelId,
        bot: base.bot,
        conversation: { ...r.conversation!, tenantId },
      } as Reference)
    },
  )
}
