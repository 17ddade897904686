import type { Capability } from './capability.ts'
import type { WorkspaceId } from './model.ts'
import type { CardBlock } from './outbound.ts'
import type { PlatformDirectory } from './ports.ts'

export type HomeSection = (workspace: WorkspaceId, personId: string) => Promise<CardBlock[]>

/**
 * A person's home surface (Slack App Home), rebuilt each time they open it from every feature's
 * section. Platforms without one (Teams, the shell) are skipped.
 */
export function homeCapability(platforms: PlatformDirectory, sections: HomeSection[]): Capability {
  return {
    name: 'home',
    on: {
      'home.opened': async (e) => {
        const platform = platforms.forWorkspace(e.workspace)
        if (!platform.caps.home || !platform.publishHome) return
        const blocks: CardBlock[] = [
          { type: 'text', text: 'Your team’s saved answers and your tasks, in one place. Type `/beacon help` anywhere for everything Beacon does.' },
        ]
        for (const section of sections) {
          const part = await section(e.workspace, e.person.id)
          if (part.length) blocks.push({ type: 'divider' }, ...part)
        }
        await platform.publishHome(e.workspace, e.person.id, { title: 'Beacon', blocks })
      },
    },
  }
}
