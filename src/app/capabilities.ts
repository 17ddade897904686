import type { Capability } from '../core/capability.ts'
import type { Logger } from '../core/logger.ts'
import type { Clock, JobQueue, PlatformDirectory } from '../core/ports.ts'
import type { Db } from '../storage/db.ts'
import type { Repositories } from '../storage/repositories/index.ts'
import type { Config } from './config.ts'

export interface CapabilityDeps {
  config: Config
  log: Logger
  db: Db
  repos: Repositories
  queue: JobQueue
  platforms: PlatformDirectory
  clock: Clock
}

/** `/beacon`: the overview help and, later, team and privacy settings. */
const beaconCapability: Capability = {
  name: 'beacon',
  commands: {
    beacon: {
      summary: 'shows this help and Beacon’s settings',
      help: [{ usage: 'help', summary: 'what Beacon can do and how to use it' }],
      run: async (e, turn) => {
        await turn.reply({ text: `I don’t know \`${e.text}\` yet. Try \`help\`.`, visibleTo: e.person.id })
      },
    },
  },
}

/** Every feature Beacon runs, and the jobs they need, wired to this process's ports. */
export function buildCapabilities(_deps: CapabilityDeps): { capabilities: Capability[]; registerJobs(): Promise<void> } {
  return {
    capabilities: [beaconCapability],
    async registerJobs() {},
  }
}
