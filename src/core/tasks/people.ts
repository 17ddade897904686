import type { Person, PersonRef, WorkspaceId } from '../model.ts'
import type { TasksContext } from './deps.ts'
import type { PeopleLookup } from './mentions.ts'
import { safeZone } from './zoned-time.ts'

/**
 * The person behind an event, with a timezone: the cached profile, else the platform's, else what
 * the event says in UTC. A task can always be created; the reply shows the zone it used.
 */
export async function resolvePerson(ctx: TasksContext, ref: PersonRef): Promise<Person> {
  const cached = await ctx.people.get(ref.workspace, ref.id)
  if (cached) return { ...cached, timezone: safeZone(cached.timezone) }
  const fromPlatform = await platformPerson(ctx, ref.workspace, ref.id)
  if (fromPlatform) return { ...fromPlatform, timezone: safeZone(fromPlatform.timezone) }
  return { workspace: ref.workspace, id: ref.id, displayName: ref.displayName ?? ref.id, timezone: 'UTC', isBot: ref.isBot ?? false }
}

/** Names through the people cache, ids through the platform (falling back to the cache). */
export function lookupFor(ctx: TasksContext, workspace: WorkspaceId): PeopleLookup {
  return {
    byName: (name) => ctx.people.findByName(workspace, name),
    byId: async (id) => (await platformPerson(ctx, workspace, id)) ?? (await ctx.people.get(workspace, id)),
  }
}

async function platformPerson(ctx: TasksContext, workspace: WorkspaceId, id: string): Promise<Person | undefined> {
  try {
    return await ctx.platforms.forWorkspace(workspace).getPerson(workspace, id)
  } catch (err) {
    // An unknown id is "unknown person" for the caller, not a crash.
    ctx.log.debug({ err, id }, 'platform person lookup failed')
    return undefined
  }
}
