import { Checkbox, DatePicker, Form, Input, Radio, Select, Switch, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useId, useState } from 'react';
import type { JsonSchema } from '../api/hooks';
import { enumLabels, fieldLabels, optionalGroupLabels } from '../labels';

// A form generated from a JSON Schema of the API's OpenAPI document (objects, nested objects, discriminated unions,
// enums, dates, instants, booleans, strings). Field names become Chinese labels through labels.ts.

const INSTANT_HINT = 'T\\d{2}:\\d{2}';
const isInstant = (s: JsonSchema) => s.type === 'string' && !!s.pattern?.includes(INSTANT_HINT);
const isDate = (s: JsonSchema) => s.type === 'string' && s.pattern === '^\\d{4}-\\d{2}-\\d{2}$';
const discriminatorOf = (s: JsonSchema): string | undefined => {
  const first = s.oneOf?.[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((k) => s.oneOf!.every((o) => o.properties?.[k]?.enum?.length === 1));
};
const optionValue = (s: JsonSchema, key: string) => String(s.properties?.[key]?.enum?.[0]);

export interface SchemaFormContext {
  agencies?: { id: string; name: string }[];
  hearings?: { id: string; label: string }[];
  /** This form's own names for some fields (labels.ts eventFieldLabels), before the shared ones. */
  labels?: Record<string, string>;
}

/** Wall-clock time in Shanghai, whatever the browser's time zone: the county enters and reads Beijing time. */
export const shanghaiNow = (): Dayjs => dayjs(new Date(Date.now() + (480 + new Date().getTimezoneOffset()) * 60_000));

const sharedLabel = (name: string) => fieldLabels[name] ?? name;
const optionLabel = (field: string, v: unknown) => enumLabels[field]?.[String(v)] ?? String(v);

function FieldFor({
  name,
  path,
  schema,
  required,
  ctx,
}: {
  name: string;
  path: (string | number)[];
  schema: JsonSchema;
  required: boolean;
  ctx: SchemaFormContext;
}) {
  const label = (n: string) => ctx.labels?.[n] ?? sharedLabel(n);
  const rules = required ? [{ required: true, message: `请填写${label(name)}` }] : [];
  const common = { name: path, label: label(name), rules };
  if (schema.oneOf) return <UnionFields name={name} path={path} schema={schema} ctx={ctx} />;
  if (schema.type === 'object' && schema.properties) {
    const group = (
      <fieldset className="schema-group">
        <legend>{label(name)}</legend>
        <ObjectFields schema={schema} path={path} ctx={ctx} />
      </fieldset>
    );
    return required ? group : <OptionalGroup name={name} path={path} label={label(name)} group={group} />;
  }
  if (schema.type === 'boolean') {
    if (schema.enum?.length === 1 && schema.enum[0] === true) {
      return (
        <Form.Item
          name={path}
          valuePropName="checked"
          rules={[{ validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error(`须${label(name)}`))) }]}
        >
          <Checkbox>{label(name)}</Checkbox>
        </Form.Item>
      );
    }
    const [yes, no] = name === 'approved' ? ['批准', '不批准'] : ['是', '否'];
    return (
      <Form.Item
        {...common}
        rules={required && schema.default === undefined ? [{ required: true, message: `请选择${label(name)}` }] : []}
        initialValue={schema.default}
      >
        <Radio.Group
          options={[
            { label: yes, value: true },
            { label: no, value: false },
          ]}
          aria-label={label(name)}
        />
      </Form.Item>
    );
  }
  if (name === 'agencyId' && ctx.agencies) {
    return (
      <Form.Item {...common}>
        <Select
          showSearch
          optionFilterProp="label"
          options={ctx.agencies.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={label(name)}
        />
      </Form.Item>
    );
  }
  if (name === 'hearingId' && ctx.hearings?.length) {
    return (
      <Form.Item {...common}>
        <Select options={ctx.hearings.map((h) => ({ value: h.id, label: h.label }))} aria-label={label(name)} />
      </Form.Item>
    );
  }
  if (schema.enum) {
    return (
      <Form.Item {...common} initialValue={schema.default}>
        <Select
          options={schema.enum.map((v) => ({ value: v as string, label: optionLabel(name, v) }))}
          aria-label={label(name)}
        />
      </Form.Item>
    );
  }
  if (isInstant(schema)) {
    return (
      <Form.Item {...common}>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          style={{ width: '100%' }}
          aria-label={label(name)}
          // When a duty was actually done: never in the future.
          disabledDate={name === 'occurredAt' ? (d) => d.isAfter(shanghaiNow(), 'day') : undefined}
        />
      </Form.Item>
    );
  }
  if (isDate(schema)) {
    return (
      <Form.Item {...common}>
        <DatePicker style={{ width: '100%' }} aria-label={label(name)} />
      </Form.Item>
    );
  }
  const long = (schema.maxLength ?? 0) > 200;
  return (
    <Form.Item
      {...common}
      rules={[
        ...rules,
        { whitespace: required, message: `请填写${label(name)}` },
        ...(schema.maxLength ? [{ max: schema.maxLength, message: `不超过 ${schema.maxLength} 字` }] : []),
      ]}
    >
      {long ? (
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} aria-label={label(name)} />
      ) : (
        <Input aria-label={label(name)} />
      )}
    </Form.Item>
  );
}

/** An optional nested object (e.g. a past hearing's record): behind a switch, so that its required fields are
 * required only when the person opts in; switched off, its values are cleared and nothing is sent. */
function OptionalGroup({
  name,
  path,
  label,
  group,
}: {
  name: string;
  path: (string | number)[];
  label: string;
  group: React.ReactNode;
}) {
  const form = Form.useFormInstance();
  const id = useId();
  const [open, setOpen] = useState(() => form.getFieldValue(path) !== undefined);
  return (
    <>
      <Form.Item>
        <span className="schema-group-switch">
          <Switch
            id={id}
            checked={open}
            onChange={(on) => {
              setOpen(on);
              if (!on) form.setFieldValue(path, undefined);
            }}
          />
          <label htmlFor={id}>{optionalGroupLabels[name] ?? `填写${label}`}</label>
        </span>
      </Form.Item>
      {open && group}
    </>
  );
}

/** A discriminated union: a select for the discriminator, then the chosen option's fields. */
function UnionFields({
  name,
  path,
  schema,
  ctx,
}: {
  name: string;
  path: (string | number)[];
  schema: JsonSchema;
  ctx: SchemaFormContext;
}) {
  const label = (n: string) => ctx.labels?.[n] ?? sharedLabel(n);
  const key = discriminatorOf(schema)!;
  const options = schema.oneOf!.map((o) => ({
    value: optionValue(o, key),
    label: enumLabels[name]?.[optionValue(o, key)] ?? optionLabel(key, optionValue(o, key)),
  }));
  return (
    <>
      <Form.Item
        name={[...path, key]}
        label={label(name)}
        rules={[{ required: true, message: `请选择${label(name)}` }]}
        initialValue={options[0]?.value}
      >
        <Select options={options} aria-label={label(name)} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => get(a, [...path, key]) !== get(b, [...path, key])}>
        {(form) => {
          const chosen = schema.oneOf!.find((o) => optionValue(o, key) === form.getFieldValue([...path, key]));
          return chosen ? <ObjectFields schema={chosen} path={path} ctx={ctx} skip={[key]} /> : null;
        }}
      </Form.Item>
    </>
  );
}

export function ObjectFields({
  schema,
  path = [],
  ctx,
  skip = [],
}: {
  schema: JsonSchema;
  path?: (string | number)[];
  ctx: SchemaFormContext;
  skip?: string[];
}) {
  return (
    <>
      {Object.entries(schema.properties ?? {})
        .filter(([k]) => !skip.includes(k))
        .map(([k, s]) => (
          <FieldFor
            key={k}
            name={k}
            path={[...path, k]}
            schema={s}
            required={!!schema.required?.includes(k) && s.default === undefined}
            ctx={ctx}
          />
        ))}
    </>
  );
}

function get(o: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );
}

/** Form values as the API wants them: dates as YYYY-MM-DD, instants as Shanghai time with +08:00, no empty strings. */
export function toApiValues(schema: JsonSchema, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let s = schema;
  if (schema.oneOf) {
    const key = discriminatorOf(schema)!;
    s = schema.oneOf.find((o) => optionValue(o, key) === values[key]) ?? schema.oneOf[0]!;
  }
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    const v = values[k];
    if (v === undefined || v === null || v === '') continue;
    if (dayjs.isDayjs(v)) out[k] = isDate(sub) ? v.format('YYYY-MM-DD') : `${v.format('YYYY-MM-DDTHH:mm')}:00+08:00`;
    else if ((sub.oneOf || sub.properties) && typeof v === 'object')
      out[k] = toApiValues(sub, v as Record<string, unknown>);
    else if (typeof v === 'string') out[k] = v.trim();
    else out[k] = v;
    if (out[k] === '') delete out[k];
  }
  return out;
}

/** Puts the API's 400 issues next to the fields they name; returns the ones no field shows. */
export function showIssues(
  form: FormInstance,
  issues: { path: (string | number)[]; message: string }[],
  zh: (m: string) => string,
): string[] {
  const rest: string[] = [];
  const known = new Set((form.getFieldsError() ?? []).map((f) => JSON.stringify(f.name)));
  const fields = [];
  for (const i of issues) {
    if (i.path.length && known.has(JSON.stringify(i.path))) fields.push({ name: i.path, errors: [zh(i.message)] });
    else
      rest.push(`${i.path.map((p) => sharedLabel(String(p))).join(' · ')}${i.path.length ? '：' : ''}${zh(i.message)}`);
  }
  form.setFields(fields);
  return rest;
}
