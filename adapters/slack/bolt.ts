/** The Bolt values the Slack adapter uses, required rather than imported (src/core/require-commonjs.ts says why). */
import type * as Bolt from '@slack/bolt'
import { requireCommonJs } from '../../src/core/require-commonjs.ts'

export const { App, AuthorizationError, ErrorCode, ExpressReceiver, LogLevel, SocketModeReceiver, webApi } =
  requireCommonJs<typeof Bolt>('@slack/bolt')
