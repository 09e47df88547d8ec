import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '../../src/deadlines/rules';
import type { DutyRuleId, DutyStatus } from '../../src/duties';
import { caseStages, fieldNames, stageNames } from '../../src/vocabulary/case';
import {
  channelLabels,
  dutyStatusLabels,
  enumLabels,
  eventFieldLabels,
  eventForRule,
  eventLabels,
  fieldLabels,
  noticeKindLabels,
  noticeStatusLabels,
} from '../../web/src/labels';

// The console's forms are generated from the API's OpenAPI document and name their fields, options and buttons
// through web/src/labels.ts. This walks the document the API serves: every case event, every field of the event and
// registration schemas (nested objects and unions included) and every enum value must have a Chinese label, so an
// English identifier never reaches a form.

type Schema = {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  items?: Schema;
};
type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

const root = join(__dirname, '..', '..');
const chinese = /[\u4e00-\u9fff]/;
let doc: Doc;

beforeAll(async () => {
  // As web/scripts/generate-api-types.ts: routes register themselves in the OpenAPI registry when their module loads.
  const dirs = [join(root, 'src', 'http'), join(root, 'src', 'http', 'routes')];
  const modules = [
    join(root, 'src', 'server.ts'),
    ...dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.ts'))
        .sort()
        .map((f) => join(d, f)),
    ),
  ];
  for (const file of modules) await import(file);
  const { buildOpenApiDocument } = await import('../../src/http/openapi');
  doc = buildOpenApiDocument() as unknown as Doc;
}, 60_000);

const request = (path: string): Schema => doc.paths[path]!.post!.requestBody!.content['application/json']!.schema;
const discriminatorOf = (s: Schema) =>
  Object.keys(s.oneOf![0]!.properties ?? {}).find((k) => s.oneOf!.every((o) => o.properties?.[k]?.enum?.length === 1));

/** Every label the form would need for `schema` (a field named `name`), as [where, label or undefined]. */
function labelsNeeded(
  schema: Schema,
  name: string,
  where: string,
  own: Record<string, string> = {},
): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (schema.oneOf) {
    // A union: a select named after the field, one option per variant (named by the field's or the key's enum).
    const key = discriminatorOf(schema);
    expect({ where, key }).toEqual({ where, key: expect.any(String) });
    out.push([`${where} (field)`, own[name] ?? fieldLabels[name]]);
    for (const variant of schema.oneOf) {
      const v = String(variant.properties![key!]!.enum![0]);
      out.push([`${where} = ${v}`, enumLabels[name]?.[v] ?? enumLabels[key!]?.[v]]);
      out.push(...objectLabels(variant, `${where}[${v}]`, own, [key!]));
    }
    return out;
  }
  out.push([`${where} (field)`, own[name] ?? fieldLabels[name]]);
  if (schema.properties) out.push(...objectLabels(schema, where, own));
  if (schema.enum && schema.type !== 'boolean')
    for (const v of schema.enum) out.push([`${where} = ${String(v)}`, enumLabels[name]?.[String(v)]]);
  if (schema.items) out.push(...labelsNeeded(schema.items, name, `${where}[]`, own));
  return out;
}
function objectLabels(schema: Schema, where: string, own: Record<string, string>, skip: string[] = []) {
  return Object.entries(schema.properties ?? {})
    .filter(([k]) => !skip.includes(k))
    .flatMap(([k, s]) => labelsNeeded(s, k, `${where}.${k}`, own));
}
const missing = (needed: [string, unknown][]) =>
  needed.filter(([, l]) => typeof l !== 'string' || !chinese.test(l)).map(([where]) => where);

test('every case event has a Chinese name, and so has every field and enum value of its form', () => {
  const events = request('/api/cases/{caseId}/events').oneOf!;
  expect(events.length).toBeGreaterThanOrEqual(27);
  const needed: [string, unknown][] = [];
  for (const e of events) {
    const type = String(e.properties!.type!.enum![0]);
    needed.push([`event ${type}`, eventLabels[type]]);
    needed.push(...objectLabels(e, type, eventFieldLabels[type], ['type']));
  }
  expect(missing(needed)).toEqual([]);
  // Per-event names only rename fields that exist.
  for (const [type, own] of Object.entries(eventFieldLabels)) {
    const e = events.find((o) => o.properties!.type!.enum![0] === type);
    expect({ type, fields: Object.keys(own).filter((k) => !e?.properties?.[k]) }).toEqual({ type, fields: [] });
  }
});

test('every field and enum value of the registration form has a Chinese name', () => {
  expect(missing(objectLabels(request('/api/cases'), 'registration', {}))).toEqual([]);
});

test('every event the API may offer, stage, duty status and notice has a Chinese name', () => {
  const s = doc.components.schemas;
  const enumOf = (schema: Schema | undefined) => (schema?.enum ?? schema?.items?.enum ?? []).map(String);
  const needed: [string, unknown][] = [
    ...enumOf(s.CaseState?.properties?.allowedEvents).map((t): [string, unknown] => [`allowed ${t}`, eventLabels[t]]),
    ...enumOf(s.CaseState?.properties?.stage).map((t): [string, unknown] => [`stage ${t}`, enumLabels.stage![t]]),
    ...caseStages.map((t): [string, unknown] => [`stage ${t}`, enumLabels.stage![t]]),
    ...enumOf(s.Notice?.properties?.kind).map((t): [string, unknown] => [`notice ${t}`, noticeKindLabels[t]]),
    ...enumOf(s.Notice?.properties?.channel).map((t): [string, unknown] => [`channel ${t}`, channelLabels[t]]),
    ...enumOf(s.Notice?.properties?.status).map((t): [string, unknown] => [`status ${t}`, noticeStatusLabels[t]]),
  ];
  expect(enumOf(s.CaseState?.properties?.allowedEvents).length).toBeGreaterThan(0);
  // Every duty status (the type makes this list complete: a new status fails type-checking here).
  const statuses: Record<DutyStatus, true> = { open: true, done: true, overdue: true, waived: true, superseded: true };
  for (const st of Object.keys(statuses)) needed.push([`duty status ${st}`, dutyStatusLabels[st]]);
  expect(missing(needed)).toEqual([]);
});

test('the console calls fields and stages by the API’s own names', () => {
  expect(enumLabels.field).toEqual(fieldNames);
  expect(enumLabels.stage).toEqual(stageNames);
});

test('every duty a person does with an event opens that event’s form', () => {
  // The 工作提醒函's answer is given on the statistics page, not as a case event.
  const byEvent: Record<Exclude<DutyRuleId, 'reminder-letter-answer'>, true> = {
    ...(Object.fromEntries(RULE_IDS.filter((r) => r !== 'reminder-letter-answer').map((r) => [r, true])) as Record<
      Exclude<DutyRuleId, 'reminder-letter-answer'>,
      true
    >),
    'appearance-plan': true,
    'substitute-approval': true,
    'appeal-decision': true,
  };
  const events = request('/api/cases/{caseId}/events').oneOf!.map((e) => String(e.properties!.type!.enum![0]));
  for (const rule of Object.keys(byEvent))
    expect({ rule, event: events.includes(eventForRule[rule]!) }).toEqual({ rule, event: true });
  expect(eventForRule['defence-and-evidence']).toBe('defence-submitted');
  expect(eventForRule['appeal-period-judgment']).toBe('appeal-decision');
  expect(eventForRule['appeal-period-ruling']).toBe('appeal-decision');
});
