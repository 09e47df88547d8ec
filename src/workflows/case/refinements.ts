import type { Refinement } from '../shared/json-check';

// The case event's rules that JSON Schema cannot express, named once and used twice: schemas.ts hands these very
// functions to zod's .refine, and the generated JSON Schema names them (x-refine) where zod checks them, so the
// workflow's zod-free check (event-check.ts) runs the same code at the same places. Zod-free: the workflow imports it.

const realDate = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
// The calendar's supported years: a date outside them cannot be counted, so it is refused at the door (400 with path).
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;
const inYears = (v: string): boolean => {
  const y = Number(v.slice(0, 4));
  return y >= MIN_YEAR && y <= MAX_YEAR;
};
const OUT_OF_YEARS = `须在${MIN_YEAR}年至${MAX_YEAR}年之间`;
// An instant's year as Shanghai reads it (an offset can carry 2099-12-31T23:00-02:00 into 2100).
const instantInYears = (v: string): boolean => {
  const shanghai = new Date(Date.parse(v) + 8 * 3_600_000).toISOString();
  return inYears(v) && inYears(shanghai);
};

export const caseEventRefinements = {
  realInstant: {
    check: (v: string) => realDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)),
    message: '不是真实存在的时刻',
  },
  instantInYears: { check: (v: string) => Number.isNaN(Date.parse(v)) || instantInYears(v), message: OUT_OF_YEARS },
  realDate: { check: realDate, message: '不是真实存在的日期' },
  dateInYears: { check: inYears, message: OUT_OF_YEARS },
  deputyGivesReason: {
    check: (p: { appearing: string; reason?: string }) => p.appearing !== 'deputy' || !!p.reason,
    path: ['reason'],
    message: '由负责人以外的人员出庭，须说明主要负责人不能出庭的理由',
  },
  returnedWithComments: {
    check: (r: { decision: string; comments?: string }) => r.decision !== 'returned' || !!r.comments,
    path: ['comments'],
    message: '退回报告须附意见',
  },
  someChange: {
    check: (c: Record<string, unknown>) => Object.values(c).some((v) => v !== undefined),
    message: '至少更正一项',
  },
} satisfies Record<string, Refinement>;
export type CaseEventRefinement = keyof typeof caseEventRefinements;
