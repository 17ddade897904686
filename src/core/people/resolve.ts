/**
 * Who a person is, for any feature: the cached profile, else the platform's, else what the event
 * said (in UTC). Platform failures read as "unknown", never as a crash. Every feature's context
 * has `people`, `platforms` and `log`, so each passes its own context as the sources.
 */
import type { Logger } from '../logger.ts'
import type { Person, PersonRef, WorkspaceId } from '../model.ts'
import type { PeopleRepository, PlatformDirectory } from '../ports.ts'
import { safeZone } from '../time/zoned-time.ts'
import type { PeopleLookup } from './mentions.ts'

export interface PeopleSources {
  people: PeopleRepository
  platforms: PlatformDirectory
  log: Logger
}

export async function findPerson(s: PeopleSources, workspace: WorkspaceId, id: string): Promise<Person | undefined> {
  const cached = await s.people.get(workspace, id)
  const found = cached ?? (await platformPerson(s, workspace, id))
  return found && { ...found, timezone: safeZone(found.timezone) }
}

/** The person behind an event, with a timezone: a task or kudos can always be made; the reply shows the zone used. */
/** The person behind an event, with a timezone: a task or kudos can always be made; the reply shows the zone used. */
export async function personOf(s: PeopleSources, ref: PersonRef): Promise<Person> {
  return (
    (await findPerson(s, ref.workspace, ref.id)) ?? {
      workspace: ref.workspace,
      id: ref.id,
      displayName: ref.displayName ?? ref.id,
      timezone: 'UTC',
      isBot: ref.isBot ?? false,
    }
  )
}

/** Names through the people cache, ids through the platform (falling back to the cache). */
export function peopleLookup(s: PeopleSources, workspace: WorkspaceId): PeopleLookup {
  return {
    byName: (name) => s.people.findByName(workspace, name),
    byId: async (id) => (await platformPerson(s, workspace, id)) ?? (await s.people.get(workspace, id)),
  }
}

async function platformPerson(s: PeopleSources, workspace: WorkspaceId, id: string): Promise<Person | undefined> {
  try {
    return await s.platforms.forWorkspace(workspace).getPerson(workspace, id)
  } catch (err) {
    // An unknown id is "unknown person" for the caller, not a crash.
    s.log.debug({ err, id }, 'platform person lookup failed')
    return undefined
  }
}
