/**
 * Replies that survive a replay. When an inbound delivery is processed again after a crash, the
 * effects it already completed (a reply, a replaced card) must not be repeated: each effect of one
 * delivery gets a sequence number, and the ledger remembers how many completed.
 */
import type { Turn } from './ports.ts'

export interface EffectLedger {
  /** Runs `effect` unless an earlier try of the same delivery already completed it. */
  once(effect: () => Promise<void>): Promise<void>
}

/** The same Turn, with every outward effect (reply, open a form, replace the source) counted once. */
export function onceTurn(turn: Turn, ledger: EffectLedger): Turn {
  const wrapped: Turn = { reply: (m) => ledger.once(() => turn.reply(m)) }
  if (turn.openForm) wrapped.openForm = (f) => ledger.once(() => turn.openForm!(f))
  if (turn.replaceSource) wrapped.replaceSource = (m) => ledger.once(() => turn.replaceSource!(m))
  // Not an outward effect: it only shapes the answer to the request being processed now.
  if (turn.rejectForm) wrapped.rejectForm = (e) => turn.rejectForm!(e)
  return wrapped
}
