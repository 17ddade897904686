/**
 * Zod schemas for the core's own identifiers, shared by every job payload and start-up file that
 * carries one (validated at the queue boundary and when a file is read).
 */
import { z } from 'zod'

/** "slack:T123", "teams:<tenant>", "shell:local": a platform prefix, then the platform's own id (see model.ts). */
export const workspaceIdSchema = z
  .string()
  .regex(/^(slack|teams|shell):.+/, 'a workspace id like slack:T123')
  .max(500)
