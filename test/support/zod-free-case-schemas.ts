// Stands in for src/workflows/case/schemas.ts inside a workflow bundle, answering workflow.ts's two calls
// (caseEventSchema.parse / safeParse) with the zod-free check: what workflow.ts does once it calls parseCaseEvent.
// Used by test/platform/workflow-bundle.test.ts and bench/bundle.bench.ts until that switch lands; delete it then.
import { parseCaseEvent } from '../../src/workflows/case/event-check';
import { invalidCommand } from '../../src/workflows/shared/invalid';

export const caseEventSchema = {
  parse(input: unknown) {
    const r = parseCaseEvent(input);
    if (!r.success) throw invalidCommand(r.issues);
    return r.data;
  },
  safeParse(input: unknown) {
    const r = parseCaseEvent(input);
    return r.success
      ? { success: true as const, data: r.data }
      : { success: false as const, error: { issues: r.issues } };
  },
};
