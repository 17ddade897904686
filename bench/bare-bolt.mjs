// The floor of the Slack ingest bench: a bare Bolt app in its own process that verifies the
// signature and acks every event (plain JavaScript, so nothing is compiled at run time, as with
// Beacon's `npm start`). Prints "listening on :<port>" like Beacon does.
import bolt from '@slack/bolt'

const noop = () => undefined
const logger = { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error', setName: noop }
const receiver = new bolt.ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, processBeforeResponse: false, logger })
const app = new bolt.App({ receiver, token: 'xoxb-bench', botId: 'BBENCH', botUserId: 'UBENCH', logger })
app.event('message', async () => undefined)
const server = receiver.app.listen(0, '127.0.0.1', () => process.stdout.write(`bare Bolt listening on :${server.address().port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
