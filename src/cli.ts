import { parseArgs } from 'node:util';
import {
  CalendarDataError,
  DeadlineConfigError,
  DeadlineInputError,
  loadDeadlineEngine,
  RULE_IDS,
  type DeadlineInput,
  type Extension,
} from './deadlines';

const USAGE = `usage: yingsu deadline <rule> <from> [--nth K] [--until DATE | --extend-months M --extend-days D] [--rules FILE]

  <rule>   ${RULE_IDS.join(' | ')}
  <from>   a Shanghai date (2026-02-10) or an ISO instant with Z or an offset (2026-02-10T09:30:00+08:00)
  --nth K             occurrence of a recurring rule (weekly progress report K is due on day 7K)
  --until DATE        mediation extended to DATE (rolled forward off rest days)
  --extend-months M   mediation extended by M months from the original due date
  --extend-days D     ... and/or by D days
  --rules FILE        rule overrides (JSON); default $YINGSU_RULES_FILE, else the notice's reading

Prints the deadline as one JSON object.`;

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Usage errors: the command line itself is wrong. */
class UsageError extends Error {}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function deadlineCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIO): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      nth: { type: 'string' },
      until: { type: 'string' },
      'extend-months': { type: 'string' },
      'extend-days': { type: 'string' },
      rules: { type: 'string' },
    },
  });
  if (positionals.length !== 2)
    throw new UsageError(`deadline takes <rule> <from>, got ${positionals.length} argument(s)`);
  const [rule, from] = positionals as [string, string];
  const input = { rule, from } as DeadlineInput;
  const nth = positiveInt('--nth', values.nth);
  if (nth !== undefined) input.nth = nth;
  const months = positiveInt('--extend-months', values['extend-months']);
  const days = positiveInt('--extend-days', values['extend-days']);
  if (values.until !== undefined && (months !== undefined || days !== undefined)) {
    throw new UsageError('give --until or --extend-months/--extend-days, not both');
  }
  let extension: Extension | undefined;
  if (values.until !== undefined) extension = { until: values.until };
  else if (months !== undefined || days !== undefined)
    extension = { ...(months !== undefined ? { months } : {}), ...(days !== undefined ? { days } : {}) };
  if (extension) input.extension = extension;
  const rulesFile = values.rules ?? env.YINGSU_RULES_FILE;
  const engine = loadDeadlineEngine(rulesFile ? { rulesFile } : {});
  io.out(JSON.stringify(engine.compute(input), null, 2));
}

/** Runs the command line; returns the exit code (0 ok, 2 bad input or usage, 1 bad configuration or data). */
export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: CliIO = processIO): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command !== 'deadline') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    deadlineCommand(rest, env, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.err(`yingsu: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof DeadlineInputError) {
      io.err(`yingsu: ${err.message}`);
      return 2;
    }
    if (err instanceof DeadlineConfigError || err instanceof CalendarDataError) {
      io.err(`yingsu: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
