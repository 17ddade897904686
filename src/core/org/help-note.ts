/**
 * What `/beacon help` tells a workspace admin about the organisation link: read-only, because
 * linking is the operator's decision (`beacon org link|unlink|list`), never a chat command.
 * Everyone else sees nothing here.
 */
import type { WorkspaceId } from '../model.ts'
import type { RoleResolver } from '../people/roles.ts'
import type { WorkspaceRepository } from '../ports.ts'
import type { OrgIdentity } from './identity.ts'
import { placeOf } from './places.ts'

export function orgHelpNote(identity: OrgIdentity, roles: RoleResolver, workspaces: WorkspaceRepository) {
  const place = placeOf(workspaces)
  return async (workspace: WorkspaceId, personId: string): Promise<string | undefined> => {
    if (!(await roles.isAdmin(workspace, personId))) return undefined
    const org = await identity.orgOf(workspace)
    const others = org ? org.workspaces.filter((w) => w !== workspace) : []
    if (!org || others.length === 0)
      return (
        '**Organisation** (admins): this workspace stands alone. ' +
        'An operator can link it with other Slack workspaces and Teams tenants: `beacon org link`.'
      )
    const names = await Promise.all(others.map(async (w) => `${await place(w)} (\`${w}\`)`))
    return (
      `**Organisation ${org.id}** (admins): linked with ${names.join(', ')}. ` +
      '`/kb` searches all of them and kudos add up per person (same verified email). ' +
      'Only an operator changes this: `beacon org link|unlink|list`.'
    )
  }
}
