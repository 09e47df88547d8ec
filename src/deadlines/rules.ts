import { z } from 'zod';
import { DeadlineConfigError, describeIssues } from './errors';

export const RULE_IDS = [
  'presuit-oral-feedback',
  'insuit-report',
  'mediation-period',
  'mediation-weekly-progress',
  'judgment-filing',
  'loss-analysis-report',
  'reminder-letter-answer',
  'defence-and-evidence',
  'appeal-period-judgment',
  'appeal-period-ruling',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const COUNTING_METHODS = ['calendar-days', 'working-days', 'months'] as const;
export type CountingMethod = (typeof COUNTING_METHODS)[number];

export interface Counting {
  method: CountingMethod;
  amount: number;
}

export interface RuleDefinition {
  id: RuleId;
  /** What the duty is, as the agency reads it. */
  title: string;
  /** Where the period comes from: the notice and its section, a statute and its article, or this project's own setting. */
  clause: string;
  /** Whose rule it is: the county's notice, a statute, or a setting of this system (never attributed to the notice). */
  source: 'notice' | 'law' | 'system';
  /** The trigger, as it reads after 自 in the basis text (自收到通知次日起算…). */
  trigger: string;
  counting: Counting;
  /** A last day that is a rest day moves to the next working day (民事诉讼法 art. 85). */
  rollForward: boolean;
  /** Recurs: occurrence k (`nth`) ends after k periods. */
  recurring: boolean;
  /** The parties may agree to extend it (`extension`). */
  extendable: boolean;
}

const NOTICE = '武政办〔2023〕47号';
const ALL = '中华人民共和国行政诉讼法';

/** The notice's deadlines, read as legal-periods.md adopts them. */
export const DEFAULT_RULES: Readonly<Record<RuleId, RuleDefinition>> = {
  'presuit-oral-feedback': {
    id: 'presuit-oral-feedback',
    title: '被口头通知行政起诉事项后向县司法局反馈协调化解情况',
    clause: `${NOTICE} 一(一)`,
    source: 'notice',
    trigger: '收到通知',
    counting: { method: 'calendar-days', amount: 5 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  'insuit-report': {
    id: 'insuit-report',
    title: '收到应诉通知书后告知县司法局并向分管县领导报告',
    clause: `${NOTICE} 一(二)`,
    source: 'notice',
    trigger: '收到应诉通知书及相关材料',
    counting: { method: 'calendar-days', amount: 3 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  'mediation-period': {
    id: 'mediation-period',
    title: '《委托协调化解函》协调化解期限届满前函告人民法院',
    clause: `${NOTICE} 一(一)`,
    source: 'notice',
    trigger: '收到《委托协调化解函》',
    counting: { method: 'months', amount: 1 },
    rollForward: true,
    recurring: false,
    extendable: true,
  },
  'mediation-weekly-progress': {
    id: 'mediation-weekly-progress',
    title: '每周向县司法局通报协调化解进展',
    clause: `${NOTICE} 五`,
    source: 'notice',
    trigger: '收到《委托协调化解函》',
    counting: { method: 'calendar-days', amount: 7 },
    rollForward: true,
    recurring: true,
    extendable: false,
  },
  'judgment-filing': {
    id: 'judgment-filing',
    title: '行政裁判法律文书生效后向县司法局备案',
    clause: `${NOTICE} 五`,
    source: 'notice',
    trigger: '收到生效行政裁判法律文书',
    counting: { method: 'working-days', amount: 7 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  'loss-analysis-report': {
    id: 'loss-analysis-report',
    title: '报送《行政案件败诉原因分析报告》',
    clause: `${NOTICE} 五`,
    source: 'notice',
    trigger: '收到生效法律文书',
    counting: { method: 'calendar-days', amount: 30 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  // The notice names no period for answering a 《工作提醒函》: 15 days is this system's setting, overridable.
  'reminder-letter-answer': {
    id: 'reminder-letter-answer',
    title: '收到《工作提醒函》后向县司法局书面反馈整改措施',
    clause: '本系统设定的《工作提醒函》反馈期限（可由部署配置）',
    source: 'system',
    trigger: '收到《工作提醒函》',
    counting: { method: 'calendar-days', amount: 15 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  // The Litigation Law's own deadline, the one that most often loses cases: late evidence counts as none (art. 34).
  'defence-and-evidence': {
    id: 'defence-and-evidence',
    title: '向人民法院提交答辩状及作出行政行为的证据和所依据的规范性文件',
    clause: `${ALL}第六十七条`,
    source: 'law',
    trigger: '收到起诉状副本',
    counting: { method: 'calendar-days', amount: 15 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  'appeal-period-judgment': {
    id: 'appeal-period-judgment',
    title: '一审判决上诉期限（期满未上诉的，判决发生法律效力）',
    clause: `${ALL}第八十五条`,
    source: 'law',
    trigger: '判决书送达',
    counting: { method: 'calendar-days', amount: 15 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
  'appeal-period-ruling': {
    id: 'appeal-period-ruling',
    title: '一审裁定上诉期限（期满未上诉的，裁定发生法律效力）',
    clause: `${ALL}第八十五条`,
    source: 'law',
    trigger: '裁定书送达',
    counting: { method: 'calendar-days', amount: 10 },
    rollForward: true,
    recurring: false,
    extendable: false,
  },
};

export const isRuleId = (value: unknown): value is RuleId =>
  typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);

const countingOverrideSchema = z
  .strictObject({
    method: z.enum(COUNTING_METHODS).optional(),
    amount: z.number().int().min(1).max(1000).optional(),
  })
  .refine((o) => o.method !== undefined || o.amount !== undefined, { message: 'give method, amount or both' });

/**
 * A deployment's reading of the notice, e.g. `{ "presuit-oral-feedback": { "method": "working-days", "amount": 5 } }`.
 * Unknown rule ids are errors, not ignored: a typo must not silently leave the default in force.
 */
export const ruleOverridesSchema = z
  .strictObject(
    Object.fromEntries(RULE_IDS.map((id) => [id, countingOverrideSchema.optional()])) as Record<
      RuleId,
      z.ZodOptional<typeof countingOverrideSchema>
    >,
  )
  .superRefine((overrides, ctx) => {
    for (const id of RULE_IDS) {
      const o = overrides[id];
      if (o?.method !== undefined && o.method !== DEFAULT_RULES[id].counting.method && o.amount === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [id, 'amount'],
          message: `changing the counting method to ${o.method} needs an amount in the new unit`,
        });
      }
    }
  });

export type RuleOverrides = z.infer<typeof ruleOverridesSchema>;

/** The rules in force: defaults with the deployment's overrides applied. */
export function resolveRules(raw: unknown, source = 'rule overrides'): Readonly<Record<RuleId, RuleDefinition>> {
  if (raw === undefined) return DEFAULT_RULES;
  const parsed = ruleOverridesSchema.safeParse(raw);
  if (!parsed.success) throw new DeadlineConfigError(`${source} are invalid:\n${describeIssues(parsed.error.issues)}`);
  const out = { ...DEFAULT_RULES };
  for (const id of RULE_IDS) {
    const o = parsed.data[id];
    if (o)
      out[id] = {
        ...DEFAULT_RULES[id],
        counting: {
          method: o.method ?? DEFAULT_RULES[id].counting.method,
          amount: o.amount ?? DEFAULT_RULES[id].counting.amount,
        },
      };
  }
  return out;
}
