/**
 * The Turn's outcome → the exact body Teams expects back for each invoke name (the invokes
 * themselves are read in translate-invokes.ts).
 */
import type { AdaptiveCardInvokeResponse, MessagingExtensionActionResponse } from 'botbuilder'
import { ADAPTIVE_CARD_CONTENT_TYPE, renderFormCard, type AdaptiveCard } from './render-adaptive-card.ts'
import type { InvokeOutcome } from './turns.ts'

const attachment = (content: AdaptiveCard) => ({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content })

/** composeExtension/fetchTask and /submitAction answers: a dialog, a message in the dialog, or close. */
export function taskResponse(outcome: InvokeOutcome | undefined, closeWhenEmpty: boolean): MessagingExtensionActionResponse {
  switch (outcome?.kind) {
    case 'form':
      return {
        task: {
          type: 'continue',
          value: {
            title: outcome.form.title,
            width: 'medium',
            height: 'medium',
            card: attachment(renderFormCard(outcome.form, { surface: 'dialog', ...pick(outcome) })),
          },
        },
      }
    case 'card':
      return { task: { type: 'continue', value: { title: outcome.title ?? 'Beacon', width: 'medium', card: attachment(outcome.card) } } }
    case 'message':
      return { task: { type: 'message', value: outcome.text } }
    default:
      // Submitting with nothing to say closes the dialog; opening one must show something.
      return closeWhenEmpty ? {} : { task: { type: 'message', value: 'Done.' } }
  }
}

/** adaptiveCard/action answer: the card that replaces the clicked one, or a short message. */
export function cardActionResponse(outcome: InvokeOutcome | undefined): AdaptiveCardInvokeResponse {
  switch (outcome?.kind) {
    case 'form':
      return cardBody(renderFormCard(outcome.form, { surface: 'message', ...pick(outcome) }))
    case 'card':
      return cardBody(outcome.card)
    default:
      // The schema types `value` as an object; Teams takes a string for the message type.
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: (outcome?.text ?? 'Done.') as unknown as Record<string, unknown>,
      }
  }
}

function cardBody(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> }
}

function pick(o: { errors?: Record<string, string>; values?: Record<string, string> }) {
  return { ...(o.errors ? { errors: o.errors } : {}), ...(o.values ? { values: o.values } : {}) }
}
