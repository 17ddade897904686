import type { AdoptionContext } from '../adoption/deps.ts'
import type { ImpactRepository, SponsorRepository } from './types.ts'

/** Impact reads adoption's context (teams, activity rollups, roles, privacy minimum) and adds its own stores. */
export interface ImpactContext {
  adoption: AdoptionContext
  impact: ImpactRepository
  sponsors: SponsorRepository
}
