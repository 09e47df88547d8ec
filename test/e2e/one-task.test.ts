// What a registration and a command cost in Temporal, read from the case's own history on the real dev server: one
// workflow task each, at most one local activity, no remote activity, no child workflow, and no timer restarted for
// a command that leaves the next wake-up where it was.
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { caseWorkflowId } from '../../src/workflows/case/messages';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { startStack } from './stack';

const T = temporal.api.enums.v1.EventType;
let s: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  s = await startStack();
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const bureau = { role: 'bureau' } as const;
const agency = { role: 'agency', agencyId: 'natural-resources' } as const;

async function eventsAfter(caseId: string, fromEventId: number) {
  const history = await s.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  return (history.events ?? []).filter((e) => Number(e.eventId) > fromEventId);
}
const count = (events: Awaited<ReturnType<typeof eventsAfter>>, type: number) =>
  events.filter((e) => e.eventType === type).length;
const lastId = (events: Awaited<ReturnType<typeof eventsAfter>>) => Number(events.at(-1)?.eventId ?? 0);

/** Registers a case on an entrustment letter received now (mediation opens, its weekly report due), by the bureau. */
async function registerCase(plaintiff: string) {
  const caseId = `ONE-${randomUUID().slice(0, 8)}`;
  const state = await s.cases.register(
    registrationSchema.parse({
      caseId,
      title: `${plaintiff}诉县自然资源局案`,
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff,
      trigger: { type: 'entrustment-letter', receivedAt: new Date().toISOString() },
    }),
    bureau,
  );
  return { caseId, state };
}

test('registering a case takes one round trip: the start and its answer in one workflow task with one local activity', async () => {
  const { caseId, state } = await registerCase('赵某');
  expect(state.duties.length).toBeGreaterThan(0);
  const events = await eventsAfter(caseId, 0);
  // Update-with-start: the update is accepted and completed in the workflow's first task.
  expect(count(events, T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(1);
  expect(count(events, T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe(1);
  expect(count(events, T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(1);
  // Due dates and the commit of the case and its notices: one local activity, recorded as one marker.
  expect(count(events, T.EVENT_TYPE_MARKER_RECORDED)).toBe(1);
  expect(count(events, T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
  expect(count(events, T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).toBe(0);
  // The registry and the outbox have it already when the caller gets the answer.
  expect(await s.store.getCaseRecord(caseId)).toBeTruthy();
  expect((await s.store.listNotices({ caseId })).map((r) => r.kind).sort()).toEqual(
    expect.arrayContaining(['inform', 'report']),
  );
});

test('a command is one workflow task with at most one local activity, and the timer stays when the next wake-up does not move', async () => {
  const { caseId } = await registerCase('钱某');
  const before = lastId(await eventsAfter(caseId, 0));
  // A weekly progress report: it completes this week's duty and opens the next (the calendar is asked).
  await s.cases.applyEvent(caseId, { type: 'mediation-progress', summary: '已约谈双方' }, agency);
  const progress = await eventsAfter(caseId, before);
  expect(count(progress, T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(1);
  expect(count(progress, T.EVENT_TYPE_MARKER_RECORDED)).toBe(1);
  expect(count(progress, T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
  expect(count(progress, T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).toBe(0);

  // Marking the case major moves no date: no timer is cancelled or started for it.
  const mark = lastId(progress);
  await s.cases.applyEvent(caseId, { type: 'major-case', reason: '涉及群体性利益' }, bureau);
  const major = await eventsAfter(caseId, mark);
  expect(count(major, T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(1);
  expect(count(major, T.EVENT_TYPE_MARKER_RECORDED)).toBe(1);
  expect(count(major, T.EVENT_TYPE_TIMER_CANCELED)).toBe(0);
  expect(count(major, T.EVENT_TYPE_TIMER_STARTED)).toBe(0);
});

test("an operator's cancellation ends a waiting case's run as cancelled, its timer with it", async () => {
  const { caseId } = await registerCase('孙某');
  const handle = s.client.workflow.getHandle(caseWorkflowId(caseId));
  // Temporal UI's "Request Cancellation" on a case that sleeps until its next reminder.
  await handle.cancel();
  await expect(handle.result()).rejects.toThrow();
  expect((await handle.describe()).status.name).toBe('CANCELLED');
  const events = await eventsAfter(caseId, 0);
  expect(count(events, T.EVENT_TYPE_TIMER_CANCELED)).toBe(1);
}, 30_000);
