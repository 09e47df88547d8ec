// The reminder letter's bodies as the workflow checks them without zod, against the zod schemas the API uses.
import { ApplicationFailure } from '@temporalio/common';
import { acknowledgeBody, answerBody } from '../../src/workflows/oversight/letter-check';
import { acknowledgeLetterSchema, answerLetterSchema } from '../../src/workflows/oversight/schemas';

const bodies: unknown[] = [
  undefined,
  {},
  { note: '已签收' },
  { note: '  已签收 ' },
  { note: '   ' },
  { note: 5 },
  { note: 'x'.repeat(1001) },
  { note: '收到', extra: 1 },
  { measures: '整改措施' },
  { measures: ' 整改 ' },
  { measures: '' },
  { measures: 'x'.repeat(8001) },
  { measures: '整改', note: 'x' },
  null,
  'text',
  [],
];

const attempt = (parse: (b: unknown) => unknown, body: unknown) => {
  try {
    return { success: true, data: parse(body) };
  } catch (err) {
    if (!(err instanceof ApplicationFailure) || err.type !== 'InvalidCommand') throw err;
    return { success: false };
  }
};
const zod = (schema: typeof answerLetterSchema | typeof acknowledgeLetterSchema, body: unknown) => {
  // The workflow reads a missing body as an empty one, as the HTTP layer does.
  const r = schema.safeParse(body ?? {});
  return r.success ? { success: true, data: r.data } : { success: false };
};

test.each(bodies.map((b, i) => [i, JSON.stringify(b)?.slice(0, 60), b] as const))(
  'letter body %i (%s) is answered as zod answers it',
  (_, _s, body) => {
    expect(attempt(acknowledgeBody, body)).toEqual(zod(acknowledgeLetterSchema, body));
    expect(attempt(answerBody, body)).toEqual(zod(answerLetterSchema, body));
  },
);

test('an unknown key in a letter body is refused with its Chinese reason', () => {
  expect(() => answerBody({ measures: 'm', extra: 1 })).toThrow('(root): 不允许的字段：extra');
});
