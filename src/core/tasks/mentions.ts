/**
 * Mention resolution is shared (src/core/people/mentions.ts, also used by recognition); what a
 * problem means for a *task* is worded here.
 */
import type { MentionProblem } from '../people/mentions.ts'

export { resolveMentions, type MentionProblem, type Mentions, type PeopleLookup } from '../people/mentions.ts'

/** A friendly sentence for the first problem. */
export function mentionProblemText(p: MentionProblem): string {
  switch (p.kind) {
    case 'unknown':
      return `I don’t know who **${p.token}** is, so I didn’t create the task. Check the spelling, or mention them the way your chat app suggests.`
    case 'bot':
      return `**${p.name}** is a bot and can’t be assigned a task. Mention a person instead.`
    case 'group':
      return `Tasks go to people, not to **${p.token}**. Mention the people who should do it.`
  }
}
