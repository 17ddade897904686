/** The tasks part of a personal home surface (Slack App Home); the adapter places the blocks. */
import type { WorkspaceId } from '../model.ts'
import type { CardBlock } from '../outbound.ts'
import type { TasksContext } from './deps.ts'
import { zoneOf } from './reminders.ts'
import { homeBlocks } from './render-task.ts'

const SHOWN = 10

/** My open tasks, soonest due first, each with Done and Snooze buttons. */
export async function tasksHomeSection(ctx: TasksContext, workspace: WorkspaceId, personId: string): Promise<CardBlock[]> {
  const { tasks, total } = await ctx.repo.list({ workspace, status: 'open', assignee: personId, limit: SHOWN })
  const zone = await zoneOf(ctx, workspace, personId, 'UTC')
  return homeBlocks(tasks, total, { zone, now: ctx.clock.now() })
}
