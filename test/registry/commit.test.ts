// One change of a case is committed whole: its registry delta and its notices' outbox rows in one transaction.
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import { RegistryStore, type NewOutboxRow } from '../../src/registry';
import { caseState, duty } from './fixtures';

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

/** The statements a store runs, by kind and table (`insert duties`, `select notices`…). */
function counted(of: RegistryStore): { store: RegistryStore; statements: string[] } {
  const statements: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
      const n = node as unknown as {
        kind: string;
        into?: { table: { identifier: { name: string } } };
        from?: { froms: { table: { identifier: { name: string } } }[] };
      };
      const table = n.into?.table.identifier.name ?? n.from?.froms[0]?.table.identifier.name ?? '?';
      statements.push(`${n.kind.replace('QueryNode', '').toLowerCase()} ${table}`);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { store: new RegistryStore(of.db.withPlugin(plugin), of.dialect), statements };
}

test('a commit writes each table in one statement, however many duties and hearings the change has', async () => {
  const hearing = (id: string) => ({ id, scheduledAt: '2026-04-01T01:00:00.000Z', headAppearanceRequired: true });
  const { store: watched, statements } = counted(store);
  const small = caseState('C-3');
  await watched.commitCase({ state: small, timelineFrom: 1 }, []);
  const few = [...statements];
  statements.length = 0;
  const large = caseState('C-4', {
    duties: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'].map((id) => duty(id)),
    hearings: [hearing('h1'), hearing('h2')] as never,
  });
  await watched.commitCase({ state: large, timelineFrom: 1 }, []);
  expect(statements.filter((s) => s === 'insert duties')).toEqual(['insert duties']);
  expect(statements.filter((s) => s === 'insert hearings')).toEqual(['insert hearings']);
  expect(statements.length).toBe(few.length + 1); // the hearings' statement; C-3 has none
  const record = await store.getCaseRecord('C-4');
  expect(record?.duties.map((d) => d.id).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
  expect(record?.hearings).toHaveLength(2);

  // A second commit updates every row in place (the excluded values win), in the same one statement per table.
  statements.length = 0;
  const moved = { ...large, duties: large.duties.map((d) => ({ ...d, status: 'done' as const })) };
  await watched.commitCase({ state: moved, timelineFrom: 3 }, []);
  expect(statements.filter((s) => s === 'insert duties')).toHaveLength(1);
  expect((await store.getCaseRecord('C-4'))?.duties.map((d) => d.status)).toEqual(Array(6).fill('done'));
});

test('a new notice key is written and answered without reading its rows back; a known key keeps its rows', async () => {
  const { store: watched, statements } = counted(store);
  const key = 'C-5/-/report/1';
  const rows = [
    row(key, 'leader:vice-head-li', { caseId: 'C-5', kind: 'report' }),
    row(key, 'bureau', { caseId: 'C-5', kind: 'report' }),
  ];
  const first = await watched.commitCase({ state: caseState('C-5'), timelineFrom: 1 }, [{ key, rows }]);
  expect(first.noticeRows.map((r) => r.recipient)).toEqual(['bureau', 'leader:vice-head-li']);
  expect(statements.filter((s) => s.endsWith(' notices'))).toEqual(['select notices', 'insert notices']);

  // The same key again, planned differently (the directory changed between retries): the first rows stand.
  statements.length = 0;
  const replanned = [row(key, 'agency:natural-resources', { caseId: 'C-5', kind: 'report' })];
  const again = await watched.commitCase({ state: caseState('C-5'), timelineFrom: 3 }, [{ key, rows: replanned }]);
  expect(again.noticeRows.map((r) => r.recipient)).toEqual(['bureau', 'leader:vice-head-li']);
  expect(await store.listNotices({ caseId: 'C-5' })).toHaveLength(2);
});
