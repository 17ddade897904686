/** The botbuilder values the Teams adapter uses, required rather than imported (src/core/require-commonjs.ts says why). */
import type * as Botbuilder from 'botbuilder'
import { requireCommonJs } from '../../src/core/require-commonjs.ts'

export const {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} = requireCommonJs<typeof Botbuilder>('botbuilder')
export type CloudAdapter = Botbuilder.CloudAdapter
export type TurnContext = Botbuilder.TurnContext
export type ConfigurationBotFrameworkAuthentication = Botbuilder.ConfigurationBotFrameworkAuthentication
