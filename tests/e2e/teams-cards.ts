/** Reading Teams activities the way a person does: the text they see and the buttons they can press. */
export type Json = Record<string, unknown>
export interface CardAction {
  type: string
  title: string
  verb?: string
  url?: string
  data?: Json
}

/** Every string a person sees in an activity: text, summary, card text blocks and facts. */
export function seen(body: unknown): string {
  const out: string[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x)
      return
    }
    if (v && typeof v === 'object') {
      const o = v as Json
      for (const k of ['text', 'summary', 'title', 'value', 'fallbackText']) if (typeof o[k] === 'string') out.push(o[k] as string)
      for (const [k, x] of Object.entries(o)) if (k !== 'data') walk(x)
    }
  }
  walk(body)
  return out.join('\n')
}

/** The Adaptive Card actions (buttons) anywhere in an activity or invoke answer. */
export function actions(body: unknown): CardAction[] {
  const out: CardAction[] = []
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x)
      return
    }
    if (v && typeof v === 'object') {
      const o = v as Json
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o as unknown as CardAction)
      for (const x of Object.values(o)) walk(x)
    }
  }
  walk(body)
  return out
}
