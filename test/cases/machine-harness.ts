import { createDeadlineEngine } from '../../src/deadlines';
import { CaseMachine, initialState, type CasePorts } from '../../src/workflows/case/machine';
import { registrationSchema, type RegistrationInput } from '../../src/workflows/case/schemas';
import type { NoticeRequest } from '../../src/notifications/types';

export const defaultEngine = createDeadlineEngine();

/** The case machine on the real deadline engine, with a settable clock and the notices it committed so far. */
export function harness(input: Partial<RegistrationInput> & Pick<RegistrationInput, 'trigger'>, startAt: string) {
  let now = startAt;
  let engine = defaultEngine;
  const notices: NoticeRequest[] = [];
  const ports: CasePorts = {
    now: () => now,
    deadlines: (reqs) => reqs.map((r) => engine.compute(r)),
    nextEscalationAt: (after, n) => engine.nextEscalationAt(after, n).at,
    workingMoment: (at) => engine.workingMoment(at).at,
    reproject: (reqs) => reqs.map((r) => ({ dutyId: r.dutyId, deadline: engine.compute(r.request) })),
  };
  const registration = registrationSchema.parse({
    caseId: 'T-2026-001',
    title: '张某诉县自然资源局征收补偿决定案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '张某',
    ...input,
  });
  const machine = new CaseMachine(
    initialState(
      registration,
      { leaderId: 'vice-head-li', agencyName: '县自然资源局', leaderName: '李副县长' },
      startAt,
    ),
    ports,
  );
  // The notices each change produced, as the workflow takes them to commit with the change.
  const committed = () => {
    notices.push(...machine.takeNotices());
    return notices;
  };
  return {
    machine,
    state: machine.state,
    get notices() {
      return committed();
    },
    registration,
    setNow: (iso: string) => {
      now = iso;
    },
    /** Swaps the calendar, as a deployment does when next year's official arrangement is loaded. */
    useEngine: (next: ReturnType<typeof createDeadlineEngine>) => {
      engine = next;
    },
    /** Advances the clock to `iso` and lets the case act, as its timer would. */
    async at(iso: string) {
      now = iso;
      machine.tick();
    },
    kinds: () => committed().map((n) => n.kind),
    duty: (id: string) => machine.duty(id)!,
  };
}
