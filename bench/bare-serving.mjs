// The floor of the idle-RSS bench: Node with the two platform libraries Beacon serves with, and
// nothing else — a bare Bolt app (as bench/bare-bolt.mjs) and botbuilder's CloudAdapter on the same
// Express app, each answering its endpoint. Plain JavaScript, as with Beacon's `npm start`. Loaded with
// require as Beacon loads them (src/core/require-commonjs.ts): an ES import of these CommonJS packages
// alone costs ~10 MiB of idle RSS, which would be no floor.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const bolt = require('@slack/bolt')
const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder')

const noop = () => undefined
const logger = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error', setName: noop }
const receiver = new bolt.ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, processBeforeResponse: false, logger })
const app = new bolt.App({ receiver, token: 'xoxb-bench', botId: 'BBENCH', botUserId: 'UBENCH', logger })
app.event('message', async () => undefined)
const teams = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: process.env.MICROSOFT_APP_ID,
    MicrosoftAppPassword: process.env.MICROSOFT_APP_PASSWORD,
    MicrosoftAppType: 'MultiTenant',
  }),
)
receiver.app.post('/api/messages', (req, res) => teams.process(req, res, async () => undefined))
const server = receiver.app.listen(0, '127.0.0.1', () => process.stdout.write(`bare Bolt + botbuilder listening on :${server.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
