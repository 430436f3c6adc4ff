/**
 * The bot's structured logs: one JSON object per line (`level`, `time`, `msg`, then the
 * fields), written to stderr. `debug` lines are written only with the debug switch: the
 * `debug` option, or `RAPPORT_DEBUG` naming `bot` (`RAPPORT_DEBUG=bot`, `=bot,agent`, `=*`).
 * The `BotLogger` interface is pino's call shape (`logger.info(fields, msg)`), so a pino
 * (or any compatible) logger can be passed instead.
 */
export type BotLogLevel = 'debug' | 'info' | 'warn' | 'error'

type LogFn = (fields: Record<string, unknown>, msg: string) => void

export interface BotLogger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

const ORDER: Record<BotLogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

/** Whether `RAPPORT_DEBUG` (comma-separated names, or `*`) turns on the bot's debug lines. */
export const isBotDebugEnabled = (value: string | undefined): boolean =>
  value !== undefined && value.split(',').some((name) => ['bot', '*', 'all'].includes(name.trim()))

const serializeField = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, ...('code' in value && { code: value.code }), stack: value.stack } : value

export interface ConsoleLoggerOptions {
  /** Lowest level written; default `info` (`debug` with the debug switch). */
  level?: BotLogLevel
  /** Where lines go; default `process.stderr`. */
  write?: (line: string) => void
  now?: () => Date
}

export const createConsoleLogger = (options: ConsoleLoggerOptions = {}): BotLogger => {
  const min = ORDER[options.level ?? 'info']
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const now = options.now ?? (() => new Date())
  const at =
    (level: BotLogLevel): LogFn =>
    (fields, msg) => {
      if (ORDER[level] < min) return
      const entry: Record<string, unknown> = { level, time: now().toISOString(), msg }
      for (const [key, value] of Object.entries(fields)) entry[key] = serializeField(value)
      write(JSON.stringify(entry))
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** A logger that writes nothing. */
export const silentLogger: BotLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
