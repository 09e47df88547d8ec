// A check of the JSON-Schema subset that the generated workflow schemas use (npm run workflow:schemas), so workflow
// code validates commands without zod: every module of the bundle is evaluated again for each workflow the worker
// runs, and zod was most of that cost. Where this departs from JSON Schema it follows zod, because the workflow
// applies the checked value, and it must be exactly the value zod would have produced:
// - an object without additionalProperties drops unknown keys (zod's strip); `false` refuses them (strictObject);
// - `default` fills a missing value; `x-trim` trims a string before its length checks and keeps it trimmed;
// - lengths count UTF-16 code units (String.length), as zod does, not code points;
// - `x-refine` names rules the caller supplies (what JSON Schema cannot say), run where zod runs its .refine: on a
//   string after its own checks, on an object only when nothing inside it had the wrong type or value.

export type JsonPath = (string | number)[];
export interface Issue {
  path: JsonPath;
  message: string;
}

/** A rule JSON Schema cannot express; `path` is relative to the value it checks. */
export interface Refinement {
  check: (value: any) => boolean;
  message: string;
  path?: readonly (string | number)[];
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface JsonSchema {
  type?: JsonType;
  properties?: { readonly [key: string]: JsonSchema };
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
  'x-trim'?: boolean;
  'x-refine'?: readonly string[];
}

/** Every keyword this check understands: the generator refuses a schema that uses any other. */
export const supportedKeywords: readonly string[] = [
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'default',
  'x-trim',
  'x-refine',
] satisfies (keyof JsonSchema)[];

/** Shaped like zod's safeParse answer, so callers read it the same way. */
export type CheckResult<T = unknown> = { success: true; data: T } | { success: false; issues: Issue[] };

/** An issue, and whether later checks of the enclosing value still run after it (zod's `continue`). */
interface Found extends Issue {
  continues: boolean;
}
interface Context {
  found: Found[];
  refinements: Readonly<Record<string, Refinement>>;
}

const typeNames: Record<JsonType, string> = {
  object: '对象',
  array: '数组',
  string: '字符串',
  number: '数字',
  integer: '整数',
  boolean: '布尔值',
  null: 'null',
};

const patterns = new Map<string, RegExp>();
const regex = (source: string): RegExp => {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source)));
  return re;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(type: JsonType, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isSafeInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === type;
  }
}

const shown = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(' | ');
const clone = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v);

function refine(schema: JsonSchema, value: unknown, path: JsonPath, ctx: Context): void {
  for (const name of schema['x-refine'] ?? []) {
    const r = ctx.refinements[name];
    if (!r) throw new Error(`json-check: no refinement named ${name}`);
    if (!r.check(value)) ctx.found.push({ path: [...path, ...(r.path ?? [])], message: r.message, continues: true });
  }
}

/** Checks `value` against `schema`, recording issues in ctx; answers the value zod would produce. */
function walk(schema: JsonSchema, value: unknown, path: JsonPath, ctx: Context): unknown {
  if (value === undefined && 'default' in schema) return clone(schema.default);
  const fail = (message: string, continues = false) => ctx.found.push({ path, message, continues });
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return union(options, value, path, ctx);
  if (schema.type && !hasType(schema.type, value)) {
    fail(value === undefined ? '缺少字段' : `类型不符，应为${typeNames[schema.type]}`);
    return value;
  }
  if ('const' in schema && value !== schema.const) {
    fail(`取值不符，应为 ${shown([schema.const])}`);
    return value;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    fail(`取值不符，应为 ${shown(schema.enum)}`);
    return value;
  }
  if (typeof value === 'string') return text(schema, value, path, ctx);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`不能小于 ${schema.minimum}`, true);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      fail(`须大于 ${schema.exclusiveMinimum}`, true);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`不能大于 ${schema.maximum}`, true);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
      fail(`须小于 ${schema.exclusiveMaximum}`, true);
    refine(schema, value, path, ctx);
    return value;
  }
  if (Array.isArray(value) && schema.type === 'array') {
    const out = value.map((item, i) => (schema.items ? walk(schema.items, item, [...path, i], ctx) : item));
    if (schema.minItems !== undefined && value.length < schema.minItems) fail(`至少 ${schema.minItems} 项`, true);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail(`至多 ${schema.maxItems} 项`, true);
    return out;
  }
  if (isObject(value) && schema.type === 'object') return object(schema, value, path, ctx);
  return value;
}

function text(schema: JsonSchema, value: string, path: JsonPath, ctx: Context): string {
  const s = schema['x-trim'] ? value.trim() : value;
  const fail = (message: string) => ctx.found.push({ path, message, continues: true });
  if (schema.minLength !== undefined && s.length < schema.minLength)
    fail(schema.minLength === 1 ? '不能为空' : `至少 ${schema.minLength} 个字符`);
  if (schema.maxLength !== undefined && s.length > schema.maxLength) fail(`至多 ${schema.maxLength} 个字符`);
  if (schema.pattern !== undefined && !regex(schema.pattern).test(s)) fail('格式不符');
  refine(schema, s, path, ctx);
  return s;
}

function object(schema: JsonSchema, value: Record<string, unknown>, path: JsonPath, ctx: Context): unknown {
  const out: Record<string, unknown> = {};
  const start = ctx.found.length;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  for (const [key, sub] of Object.entries(properties)) {
    if (key === '__proto__') continue;
    const present = key in value;
    const v = value[key];
    if (!present && !required.includes(key) && !('default' in sub)) continue;
    if (v === undefined && !required.includes(key) && !('default' in sub)) {
      out[key] = undefined;
      continue;
    }
    out[key] = walk(sub, v, [...path, key], ctx);
  }
  const extra = schema.additionalProperties;
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(properties, k));
  if (extra === false && unknown.length) {
    ctx.found.push({ path, message: `不允许的字段：${unknown.join('、')}`, continues: true });
  } else if (extra !== undefined && extra !== false) {
    for (const k of unknown) {
      if (k !== '__proto__') out[k] = extra === true ? value[k] : walk(extra, value[k], [...path, k], ctx);
    }
  }
  // Like zod: a rule over the whole object runs only when every part of it had the right type and value.
  if (ctx.found.slice(start).every((f) => f.continues)) refine(schema, out, path, ctx);
  return out;
}

/** The key whose `const` tells the options apart (`type` first), if the options are such objects. */
function discriminator(options: readonly JsonSchema[]): string | undefined {
  const first = options[0]?.properties ?? {};
  const keys = ['type', ...Object.keys(first).filter((k) => k !== 'type')];
  return keys.find((k) => options.every((o) => o.type === 'object' && o.properties?.[k] && 'const' in o.properties[k]));
}

function union(options: readonly JsonSchema[], value: unknown, path: JsonPath, ctx: Context): unknown {
  const key = discriminator(options);
  if (key !== undefined) {
    if (!isObject(value)) {
      ctx.found.push({ path, message: value === undefined ? '缺少字段' : '类型不符，应为对象', continues: false });
      return value;
    }
    const option = options.find((o) => o.properties![key].const === value[key]);
    if (option) return walk(option, value, path, ctx);
    const allowed = options.map((o) => o.properties![key].const);
    ctx.found.push({ path: [...path, key], message: `取值不符，应为 ${shown(allowed)}`, continues: false });
    return value;
  }
  // Like zod's union: the first option that takes the value whole.
  for (const option of options) {
    const trial: Context = { ...ctx, found: [] };
    const out = walk(option, value, path, trial);
    if (!trial.found.length) return out;
  }
  ctx.found.push({ path, message: '不符合任何一种可接受的形式', continues: false });
  return value;
}

/**
 * Checks `input` against a generated schema: the value as zod would have produced it (defaults filled, strings
 * trimmed, unknown keys dropped), or every issue with its path.
 */
export function checkJson<T = unknown>(
  schema: JsonSchema,
  input: unknown,
  refinements: Readonly<Record<string, Refinement>> = {},
): CheckResult<T> {
  const ctx: Context = { found: [], refinements };
  const value = walk(schema, input, [], ctx);
  if (ctx.found.length) return { success: false, issues: ctx.found.map(({ path, message }) => ({ path, message })) };
  return { success: true, data: value as T };
}
