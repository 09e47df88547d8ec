// One change of a case is committed whole: its registry delta and its notices' outbox rows in one transaction.
import { RegistryStore, type NewOutboxRow } from '../../src/registry';
import { caseState } from './fixtures';

let store: RegistryStore;
beforeEach(async () => {
  store = await RegistryStore.open('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

const row = (key: string, recipient: string, over: Partial<NewOutboxRow> = {}): NewOutboxRow => ({
  key,
  caseId: 'C-1',
  dutyId: null,
  kind: 'inform',
  agencyId: 'natural-resources',
  recipient,
  channel: 'webhook',
  contactNo: 0,
  target: 'http://127.0.0.1:9/hook',
  subject: '案件登记',
  body: '新登记案件',
  facts: { caseTitle: '某案' },
  requestedAt: '2026-03-03T02:00:00.000Z',
  ...over,
});

test('a commit writes the case and every notice row together, and a retry of it changes nothing', async () => {
  const snapshot = { state: caseState('C-1'), timelineFrom: 1 };
  const notices = [
    { key: 'C-1/-/inform/1', rows: [row('C-1/-/inform/1', 'agency:natural-resources')] },
    { key: 'C-1/-/report/2', rows: [row('C-1/-/report/2', 'leader:vice-head-li', { kind: 'report' })] },
  ];
  const first = await store.commitCase(snapshot, notices);
  expect(first).toMatchObject({ created: true });
  expect(first.timelineInserted).toBeGreaterThan(0);
  expect(first.noticeRows.map((r) => r.key)).toEqual(['C-1/-/inform/1', 'C-1/-/report/2']);
  const again = await store.commitCase(snapshot, notices);
  expect(again).toMatchObject({ created: false, timelineInserted: 0 });
  expect(await store.listNotices({ caseId: 'C-1' })).toHaveLength(2);
});

test('when a notice row cannot be written, the case change is not written either', async () => {
  const snapshot = { state: caseState('C-2'), timelineFrom: 1 };
  // A row without a subject violates the outbox's NOT NULL constraint: the whole transaction rolls back. (The error is
  // matched by its code: better-sqlite3 builds it in the realm of the first test file that loaded the addon.)
  const broken = row('C-2/-/inform/1', 'agency:natural-resources', { caseId: 'C-2', subject: null as never });
  await expect(store.commitCase(snapshot, [{ key: 'C-2/-/inform/1', rows: [broken] }])).rejects.toMatchObject({
    code: 'SQLITE_CONSTRAINT_NOTNULL',
  });
  expect(await store.getCaseRecord('C-2')).toBeUndefined();
  expect(await store.listNotices({ caseId: 'C-2' })).toEqual([]);
});
