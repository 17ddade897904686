/**
 * Services one feature offers another where a domain event will not do (the caller needs an answer
 * or a refusal), declared here so neither feature imports the other's internals.
 */
import type { WorkspaceId } from './model.ts'

/**
 * What tasks' "Send kudos" button needs from recognition: a kudos from the task's creator under the
 * usual rules. Throws a BeaconError with a userMessage when refused (nothing recorded). Without it,
 * tasks does not show the button.
 */
export interface TaskRecognition {
  giveKudos(input: { workspace: WorkspaceId; fromId: string; toIds: string[]; reason: string; taskId: number }): Promise<void>
}
