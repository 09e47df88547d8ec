import { checkJson, type CheckResult } from '../shared/json-check';
import { caseEventJsonSchema } from './event-schema.generated';
import { caseEventRefinements } from './refinements';
import type { CaseEvent, CaseEventType } from './schemas';

// The case event as the workflow checks it, without zod: the JSON Schema generated from caseEventSchema plus the
// named rules it cannot express. It answers what caseEventSchema.safeParse answers (test/cases/event-check.test.ts).

/** The event as zod would have parsed it (defaults filled, text trimmed, unknown keys dropped), or every issue. */
export function parseCaseEvent(input: unknown): CheckResult<CaseEvent> {
  return checkJson<CaseEvent>(caseEventJsonSchema, input, caseEventRefinements);
}

/** Every event type, in the schema's order. */
export const caseEventTypes: CaseEventType[] = caseEventJsonSchema.oneOf!.map(
  (o) => o.properties!.type.const as CaseEventType,
);
