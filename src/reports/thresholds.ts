// When an agency gets a 《工作提醒函》 and when a letter that did not work goes to the principal leader (section 五).
import { z } from 'zod';
import type { Count, Indicators } from './indicators';

export const reportConfigSchema = z
  .strictObject({
    thresholds: z
      .strictObject({
        /** 败诉率 strictly above this (0–1) triggers a letter. */
        lossRate: z.number().min(0).max(1).default(0.3),
        /** The loss rate is judged only from this many judgments in the quarter (one loss of one is not a trend). */
        minJudgments: z.number().int().min(1).default(2),
        /** Cases registered in the quarter at or above this count trigger a letter (案件数量多). */
        caseCount: z.number().int().min(1).default(5),
        /** 负责人出庭应诉率 strictly below this (0–1) triggers a letter; the notice's target is 100%. */
        appearanceRate: z.number().min(0).max(1).default(1),
        /** 万人成讼率 above the city average triggers a letter. */
        litigationAboveCityAverage: z.boolean().default(true),
      })
      .prefault({}),
    /** Repeat an unanswered letter's escalation every N working days (as duties of cases do). */
    escalationEveryWorkingDays: z.number().int().min(1).max(30).default(3),
    /**
     * 约谈 after how many quarterly reports: an agency whose letter named the 败诉率 or 万人成讼率 is proposed for an
     * interview when that rate is still over its threshold in each of the next N reports (未有效落实, 持续较高).
     */
    interviewAfterReports: z.number().int().min(1).max(4).default(1),
  })
  .prefault({});

export type ReportConfig = z.infer<typeof reportConfigSchema>;
export type ReportConfigInput = z.input<typeof reportConfigSchema>;

export class ReportConfigError extends Error {
  override name = 'ReportConfigError';
}

/** Validates a deployment's report settings; every problem is named by path. */
export function parseReportConfig(raw: unknown = {}): ReportConfig {
  const parsed = reportConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ReportConfigError(
      `report settings are invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

export const breachKinds = ['loss-rate', 'case-count', 'appearance-rate', 'litigation-rate'] as const;
export type BreachKind = (typeof breachKinds)[number];

/** One threshold an agency is over, with the figure, the limit and the cases behind it. */
export interface Breach {
  kind: BreachKind;
  value: number;
  threshold: number;
  caseIds: string[];
  /** One line in Chinese, for the letter and the report. */
  text: string;
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const ids = (c: Count) => c.caseIds;

/** The thresholds one agency's quarter is over; empty when none. */
export function breachesOf(ind: Indicators, config: ReportConfig): Breach[] {
  const t = config.thresholds;
  const out: Breach[] = [];
  const loss = ind.lossRate;
  if (loss.rate !== null && loss.denominator.count >= t.minJudgments && loss.rate > t.lossRate) {
    out.push({
      kind: 'loss-rate',
      value: loss.rate,
      threshold: t.lossRate,
      caseIds: ids(loss.numerator),
      text: `败诉率${pct(loss.rate)}（审结${loss.denominator.count}件、败诉或部分败诉${loss.numerator.count}件），高于${pct(t.lossRate)}`,
    });
  }
  const registered = ind.registered.total;
  if (registered.count >= t.caseCount) {
    out.push({
      kind: 'case-count',
      value: registered.count,
      threshold: t.caseCount,
      caseIds: ids(registered),
      text: `本季度新增行政争议案件${registered.count}件，达到${t.caseCount}件`,
    });
  }
  const app = ind.appearanceRate;
  if (app.rate !== null && app.rate < t.appearanceRate) {
    out.push({
      kind: 'appearance-rate',
      value: app.rate,
      threshold: t.appearanceRate,
      caseIds: [...new Set(app.misses.map((m) => m.caseId))].sort(),
      text: `负责人出庭应诉率${pct(app.rate)}（应出庭${app.denominator.count}次、出庭并发言${app.numerator.count}次），低于${pct(t.appearanceRate)}`,
    });
  }
  const lit = ind.litigationRate;
  if (t.litigationAboveCityAverage && lit.aboveCityAverage) {
    out.push({
      kind: 'litigation-rate',
      value: lit.rate,
      threshold: lit.cityAverage,
      caseIds: ids(lit.suits),
      text: `万人成讼率${lit.rate.toFixed(3)}（年内成讼${lit.suits.count}件），高于全市平均${lit.cityAverage}`,
    });
  }
  return out;
}

/** The rates whose persistence leads to an interview: the notice names only 败诉率 and 万人成讼率. */
export const interviewKinds: readonly BreachKind[] = ['loss-rate', 'litigation-rate'];

/**
 * 持续较高: the breaches that keep a letter alive for an interview. A case count or an appearance rate alone leads to a
 * letter, never to an interview.
 */
export const rateBreaches = (breaches: Breach[]): Breach[] => breaches.filter((b) => interviewKinds.includes(b.kind));
