// `npm start`: HTTP when any Slack or Teams setting is present, otherwise the local shell.
import { configOrExit, exitOnStartupError, serve, shell } from './run.ts'

const config = configOrExit()
try {
  if (config.mode === 'serve') await serve(config)
  else await shell(config)
} catch (err) {
  exitOnStartupError(err)
}
