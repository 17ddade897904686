import { BeaconError } from './errors.ts'
import { platformOf, type Platform, type WorkspaceId } from './model.ts'
import type { ChatPlatform, PlatformDirectory } from './ports.ts'

export class MapPlatformDirectory implements PlatformDirectory {
  private readonly byName = new Map<Platform, ChatPlatform>()

  register(platform: ChatPlatform): void {
    this.byName.set(platform.name, platform)
  }

  forWorkspace(workspace: WorkspaceId): ChatPlatform {
    const p = this.byName.get(platformOf(workspace))
    if (!p) throw new BeaconError('unavailable', `no ${platformOf(workspace)} connection is configured`)
    return p
  }
}
