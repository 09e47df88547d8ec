import { readFileSync } from 'node:fs';
import bundledCalendar from './data/cn-holiday-arrangements.json';
import { WorkingCalendar } from './calendar';
import { parseCalendarData } from './calendar-data';
import { Engine } from './engine';
import { DeadlineConfigError } from './errors';
import { resolveRules } from './rules';
import type { DeadlineEngine, ReminderPolicy } from './types';

export type {
  Deadline,
  DeadlineEngine,
  DeadlineInput,
  Extension,
  ReminderPolicy,
  RuleId,
  CountingMethod,
} from './types';
export { DeadlineInputError, CalendarDataError, DeadlineConfigError } from './errors';
export {
  DEFAULT_RULES,
  RULE_IDS,
  COUNTING_METHODS,
  ruleOverridesSchema,
  type RuleDefinition,
  type RuleOverrides,
} from './rules';
export { DEFAULT_REMINDER_POLICY, reminderPolicySchema, storedDeadlineSchema } from './engine';
export { calendarDataSchema, parseCalendarData } from './calendar-data';

export interface DeadlineEngineOptions {
  /** Raw calendar data (the shape of data/cn-holiday-arrangements.json); the bundled file by default. */
  calendar?: unknown;
  /** Per-rule overrides of counting method and amount (see README.md); the notice's reading by default. */
  rules?: unknown;
  reminderPolicy?: Partial<ReminderPolicy>;
}

/** Validates the calendar and the rules and indexes the calendar once; throws a named error on bad data. */
export function createDeadlineEngine(opts: DeadlineEngineOptions = {}): DeadlineEngine {
  return build(opts, 'rule overrides');
}

function build(opts: DeadlineEngineOptions, rulesSource: string): DeadlineEngine {
  const official = parseCalendarData(
    opts.calendar ?? bundledCalendar,
    opts.calendar === undefined ? 'bundled calendar data' : 'calendar data',
  );
  return new Engine(
    new WorkingCalendar(official),
    resolveRules(opts.rules, rulesSource),
    Engine.policyFrom(opts.reminderPolicy),
  );
}

/** The engine of a deployment: the overrides file (YINGSU_RULES_FILE) when given, else the notice's reading. */
export function loadDeadlineEngine(opts: {
  rulesFile?: string;
  reminderPolicy?: Partial<ReminderPolicy>;
}): DeadlineEngine {
  let rules: unknown;
  if (opts.rulesFile) {
    try {
      rules = JSON.parse(readFileSync(opts.rulesFile, 'utf8'));
    } catch (err) {
      throw new DeadlineConfigError(`cannot read rule overrides ${opts.rulesFile}: ${(err as Error).message}`);
    }
  }
  return build(
    { rules, ...(opts.reminderPolicy ? { reminderPolicy: opts.reminderPolicy } : {}) },
    `rule overrides in ${opts.rulesFile}`,
  );
}
