/**
 * `beacon org link|unlink|list`: the operator's decision to join workspaces into one organisation
 * (nobody can do it from chat). Every argument is checked before anything is written, so a typo or
 * a workspace already in another organisation changes nothing.
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Workspace, WorkspaceId } from '../model.ts'
import type { Clock, WorkspaceRepository } from '../ports.ts'
import { placeName } from './places.ts'
import type { OrgRepository, Organisation } from './types.ts'

export interface OrgAdminDeps {
  orgs: OrgRepository
  workspaces: WorkspaceRepository
  clock: Clock
  newId?: () => string
}

/** What the CLI prints and exits with: 0 done, 1 usage, 2 refused (nothing changed). */
export interface OrgCommandResult {
  code: 0 | 1 | 2
  text: string
}

export const ORG_USAGE = `Usage:
  beacon org link <workspace> <workspace>…   join workspaces into one organisation,
                                             e.g. beacon org link slack:T0ACME teams:<tenant-id>
  beacon org unlink <workspace>…             take workspaces out of their organisation
  beacon org list                            organisations and the workspaces not linked`

/** "slack:T0ACME" or "teams:<tenant id>"; the shell is local and joins nothing. */
const workspaceArg = z.string().regex(/^(slack|teams):[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)

const refused = (text: string): OrgCommandResult => ({
  code: 2,
  text: `${text}\nNothing was changed.`,
})

export async function orgCommand(d: OrgAdminDeps, argv: string[]): Promise<OrgCommandResult> {
  const [sub, ...args] = argv
  if (sub === 'list' && args.length === 0) return { code: 0, text: await listText(d) }
  if (sub === 'link' && args.length >= 2) return link(d, args)
  if (sub === 'unlink' && args.length >= 1) return unlink(d, args)
  return { code: 1, text: ORG_USAGE }
}

/** Every id well-formed and known to Beacon, or the first reason not. */
async function known(d: OrgAdminDeps, args: string[]): Promise<{ ok: true; list: Workspace[] } | { ok: false; result: OrgCommandResult }> {
  const list: Workspace[] = []
  for (const arg of [...new Set(args)]) {
    if (!workspaceArg.safeParse(arg).success) {
      return {
        ok: false,
        result: refused(`"${arg}" is not a workspace id: write slack:<team id> (e.g. slack:T0ACME) or teams:<tenant id>.`),
      }
    }
    const w = await d.workspaces.get(arg)
    if (!w)
      return {
        ok: false,
        result: refused(
          `Beacon does not know ${arg}: install Beacon there (or use it once) first; \`beacon org list\` shows the workspaces it knows.`,
        ),
      }
    list.push(w)
  }
  return { ok: true, list }
}

async function link(d: OrgAdminDeps, args: string[]): Promise<OrgCommandResult> {
  const checked = await known(d, args)
  if (!checked.ok) return checked.result
  if (checked.list.length < 2) return refused('Name at least two different workspaces to link.')
  const ids = checked.list.map((w) => w.id)
  const out = await d.orgs.link(ids, d.newId?.() ?? `org-${randomUUID().slice(0, 8)}`, d.clock.now())
  if (out.kind === 'conflict') {
    const where = out.orgs.map((o) => `${o.id} (${o.workspaces.join(', ')})`).join(' and ')
    return refused(`These workspaces are already in different organisations: ${where}. Unlink one first (\`beacon org unlink <workspace>\`).`)
  }
  const names = await describe(d, out.org)
  if (out.kind === 'unchanged') return { code: 0, text: `Already linked: ${names}.` }
  const verb = out.kind === 'created' ? `Linked into organisation ${out.org.id}` : `Added ${out.added.join(', ')} to organisation ${out.org.id}`
  return {
    code: 0,
    text:
      `${verb}: ${names}.\n` +
      'People with the same verified email on each side are now one person: /kb searches the whole organisation, kudos add up.',
  }
}

async function unlink(d: OrgAdminDeps, args: string[]): Promise<OrgCommandResult> {
  const ids: WorkspaceId[] = []
  for (const arg of [...new Set(args)]) {
    if (!workspaceArg.safeParse(arg).success) return refused(`"${arg}" is not a workspace id: write slack:<team id> or teams:<tenant id>.`)
    if (!(await d.orgs.orgOf(arg))) return refused(`${arg} is not in any organisation.`)
    ids.push(arg)
  }
  const lines: string[] = []
  for (const id of ids) {
    const before = await d.orgs.unlink(id)
    if (!before) continue // taken out already, by an earlier argument dissolving its organisation
    const rest = before.workspaces.filter((w) => w !== id)
    lines.push(
      rest.length >= 2
        ? `Unlinked ${id} from organisation ${before.id} (still ${rest.join(', ')}).`
        : `Unlinked ${id}; organisation ${before.id} is dissolved.`,
    )
  }
  lines.push('Each workspace unlinked searches and counts on its own again.')
  return { code: 0, text: lines.join('\n') }
}

async function listText(d: OrgAdminDeps): Promise<string> {
  const orgs = await d.orgs.list()
  const linked = new Set(orgs.flatMap((o) => o.workspaces))
  const lines: string[] = []
  for (const o of orgs) {
    lines.push(`Organisation ${o.id}:`)
    for (const w of o.workspaces) lines.push(`  ${w}  ${await nameOf(d, w)}`)
  }
  if (orgs.length === 0) lines.push('No organisations: each workspace stands alone.')
  const alone = (await d.workspaces.list()).filter((w) => w.platform !== 'shell' && !linked.has(w.id))
  if (alone.length) {
    lines.push('Not linked:')
    for (const w of alone) lines.push(`  ${w.id}  ${placeName(w)}`)
  }
  return lines.join('\n')
}

async function nameOf(d: OrgAdminDeps, id: WorkspaceId): Promise<string> {
  const w = await d.workspaces.get(id)
  return w ? placeName(w) : '(no longer installed)'
}

async function describe(d: OrgAdminDeps, org: Organisation): Promise<string> {
  return (await Promise.all(org.workspaces.map(async (w) => `${w} (${await nameOf(d, w)})`))).join(', ')
}
