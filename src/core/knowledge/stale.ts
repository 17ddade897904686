/**
 * Stale knowledge: items nobody opened or updated for a while are put back to the person who saved
 * them, with Keep / Archive buttons, instead of silently rotting or being silently deleted.
 */
import type { ButtonClicked } from '../events.ts'
import type { Turn } from '../ports.ts'
import type { KnowledgeContext } from './deps.ts'
import { staleCard, titleLink } from './render.ts'
import { itemIdSchema } from './types.ts'

const DAY = 86_400_000
/** Items asked about per run; the rest wait for the next day rather than flooding DMs. */
const BATCH = 200

export async function runStaleScan(ctx: KnowledgeContext, days = ctx.staleAfterDays): Promise<{ asked: number; failed: number }> {
  const now = ctx.clock.now()
  const cutoff = new Date(now.getTime() - days * DAY)
  let asked = 0
  let failed = 0
  for (const item of await ctx.repo.findStale(cutoff, BATCH)) {
    // The first saver who can still see the item: a DM must not show a private title to someone
    // who has left the channel since.
    let saver: (typeof item.savers)[number] | undefined
    for (const s of item.savers) {
      if (await ctx.access.canSee(item.workspace, s.personId, item)) {
        saver = s
        break
      }
    }
    if (!saver) continue
    // The conditional claim means two sweeps racing (or a manual `beacon jobs run`) ask once.
    if (!(await ctx.repo.claimStaleAsk(item.id, cutoff, now))) continue
    try {
      await ctx.platforms.forWorkspace(item.workspace).post({ dmTo: { workspace: item.workspace, id: saver.personId } }, staleCard(item, days))
      asked++
    } catch (err) {
      // One unreachable saver (left the company, DMs closed) must not stop the sweep; they are asked
      // again after the next quiet period.
      failed++
      ctx.log.warn({ err, itemId: item.id }, 'could not ask about a stale knowledge item')
    }
  }
  if (asked || failed) ctx.log.info({ asked, failed }, 'stale knowledge sweep')
  return { asked, failed }
}

/** kb:keep / kb:archive from the stale card (and kb:open from link buttons, which only counts a view). */
export async function handleButton(ctx: KnowledgeContext, event: ButtonClicked, turn: Turn): Promise<void> {
  const id = itemIdSchema.safeParse(event.value)
  const action = event.actionId.slice('kb:'.length)
  if (!id.success) {
    await turn.reply({ text: 'That button no longer points to a knowledge item.', visibleTo: event.person.id })
    return
  }
  const item = await ctx.repo.get(event.workspace, id.data)
  if (action === 'open') {
    if (item) await ctx.repo.markViewed([item.id], ctx.clock.now())
    const where = event.source?.conversation.id ?? event.conversation?.id
    if (item && where)
      await ctx.events.publish('knowledge.item-used', {
        use: { workspace: event.workspace, conversationId: where, itemId: item.id, kind: 'item_opened', key: event.eventId },
      })
    return
  }
  if (!item) {
    await turn.reply({ text: 'That knowledge item no longer exists.', visibleTo: event.person.id })
    return
  }
  const involved = item.savers.some((s) => s.personId === event.person.id) || item.contributors.some((c) => c.personId === event.person.id)
  if (!involved) {
    await turn.reply({ text: `Only the people who saved or wrote ${titleLink(item)} can keep or archive it.`, visibleTo: event.person.id })
    return
  }
  const now = ctx.clock.now()
  let text: string
  if (action === 'keep') {
    await ctx.repo.keep(event.workspace, item.id, now)
    text = `Kept ${titleLink(item)}. Thanks — I’ll only ask again if it goes unused for another ${ctx.staleAfterDays} days.`
  } else if (action === 'archive') {
    await ctx.repo.setStatus(event.workspace, item.id, 'archived', now)
    text = `Archived ${titleLink(item)}. It no longer shows up in \`/kb\`; saving the thread again brings it back.`
  } else {
    ctx.log.warn({ actionId: event.actionId }, 'unknown knowledge button')
    return
  }
  if (turn.replaceSource) await turn.replaceSource({ text })
  else await turn.reply({ text, visibleTo: event.person.id })
}
