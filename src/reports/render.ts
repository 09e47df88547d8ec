// The quarterly report and the 《工作提醒函》 in Chinese. One small document model renders to both Markdown and HTML,
// so the two can never say different things.
import type { AppearanceMissReason, Count, IndicatorReport, Indicators, Rate } from './indicators';
import { quarterName, shanghaiDateOf } from './period';
import type { Breach } from './thresholds';
import { fieldNames, type EnforcementField } from '../vocabulary/case';

export type Block =
  | { type: 'h1' | 'h2' | 'h3' | 'p'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; head: string[]; rows: string[][] };

export function toMarkdown(blocks: Block[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'h1':
        out.push(`# ${b.text}`);
        break;
      case 'h2':
        out.push(`## ${b.text}`);
        break;
      case 'h3':
        out.push(`### ${b.text}`);
        break;
      case 'p':
        out.push(b.text);
        break;
      case 'list':
        out.push(b.items.length ? b.items.map((i) => `- ${i}`).join('\n') : '- 无');
        break;
      case 'table':
        out.push(
          [
            `| ${b.head.map(cell).join(' | ')} |`,
            `|${b.head.map(() => ' --- ').join('|')}|`,
            ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
          ].join('\n'),
        );
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function toHtml(blocks: Block[], title: string): string {
  const body = blocks
    .map((b) => {
      switch (b.type) {
        case 'h1':
        case 'h2':
        case 'h3':
        case 'p':
          return `<${b.type}>${esc(b.text)}</${b.type}>`;
        case 'list':
          return `<ul>${(b.items.length ? b.items : ['无']).map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
        case 'table':
          return `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
      }
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:"Noto Serif CJK SC","SimSun",serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.7}table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #999;padding:.3em .6em;text-align:center}h1{text-align:center}</style>
</head><body>
${body}
</body></html>
`;
}

// ---------------------------------------------------------------- wording

export const pct = (r: number | null): string => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
const missNames: Record<AppearanceMissReason, string> = {
  'no-record': '未登记庭审出庭情况',
  absent: '负责人未出庭，不计为有效出庭',
  silent: '出庭但未发言（未做到“既出庭、又出声”）',
  'unapproved-deputy': '副职出庭未经分管县领导同意',
  'other-person': '由非负责人出庭',
  'vice-county-head-absent': '县政府被诉案件分管副县长未出庭',
};
const letterStatusNames: Record<string, string> = {
  issued: '未签收、未反馈',
  acknowledged: '已签收、未反馈整改措施',
  answered: '已反馈整改措施',
};
/**
 * A letter as people name it: `2025年第一季度《工作提醒函》`. Its id (`2025-Q1-<agencyId>`) carries an agency id, which
 * texts for people never show.
 */
export function letterName(letterId: string): string {
  const m = /^(\d{4})-Q([1-4])-/.exec(letterId);
  return m ? `${quarterName(Number(m[1]), Number(m[2]))}《工作提醒函》` : '《工作提醒函》';
}
const cases = (c: { caseIds: string[] }): string => (c.caseIds.length ? `（${c.caseIds.join('、')}）` : '');
const rateText = (r: Rate): string => `${pct(r.rate)}（${r.numerator.count}/${r.denominator.count}）`;
const num = (c: Count) => String(c.count);

export interface QuarterlyLetterEntry {
  letterId: string;
  agencyId: string;
  breaches: Breach[];
}

export interface QuarterlyInterviewEntry {
  agencyId: string;
  previousLetterId: string;
  previousLetterStatus: string;
  breaches: Breach[];
}

/** Everything a quarterly report says; stored as its JSON figures. */
export interface QuarterlyReportData {
  id: string;
  year: number;
  quarter: number;
  generatedAt: string;
  countyName: string;
  agencyNames: Record<string, string>;
  /** Leaders' names by id, so duties owned by a leader name the person, never `leader:<id>`. */
  leaderNames?: Record<string, string>;
  indicators: IndicatorReport;
  breaches: Record<string, Breach[]>;
  letters: QuarterlyLetterEntry[];
  interviews: QuarterlyInterviewEntry[];
}

function overview(ind: Indicators): Block[] {
  const r = ind.registered;
  const m = ind.mediation;
  return [
    {
      type: 'list',
      items: [
        `新增登记案件 ${r.total.count} 件${cases(r.total)}，其中诉前 ${r.byEntryStage['pre-suit'].count} 件、诉中 ${r.byEntryStage['in-suit'].count} 件、判后 ${r.byEntryStage['post-judgment'].count} 件。`,
        `按执法领域：${(Object.keys(fieldNames) as EnforcementField[]).map((f) => `${fieldNames[f]} ${r.byField[f].count} 件`).join('，')}。`,
        `协调化解成功：诉前 ${m.resolvedPreSuit.count} 件${cases(m.resolvedPreSuit)}、诉中 ${m.resolvedInSuit.count} 件${cases(m.resolvedInSuit)}、判后 ${m.resolvedPostJudgment.count} 件${cases(m.resolvedPostJudgment)}；化解未果 ${m.failed.count} 件${cases(m.failed)}。`,
        `审结 ${ind.lossRate.denominator.count} 件（裁判生效 ${ind.concluded.judgments.count} 件、准予撤诉 ${ind.concluded.withdrawals.count} 件），以生效裁判计败诉或部分败诉 ${ind.lossRate.numerator.count} 件${cases(ind.lossRate.numerator)}，败诉率 ${pct(ind.lossRate.rate)}。`,
        `法院要求负责人出庭 ${ind.appearanceRate.denominator.count} 次，负责人（或经同意的副职）出庭并发言 ${ind.appearanceRate.numerator.count} 次，负责人出庭应诉率 ${pct(ind.appearanceRate.rate)}${ind.appearanceRate.pending.count ? `；另有 ${ind.appearanceRate.pending.count} 件尚未开庭` : ''}。`,
        `逾期办理事项 ${ind.duties.doneLate.length} 项，至今仍逾期未办 ${ind.duties.stillOverdue.length} 项。`,
        `万人成讼率（${shanghaiDateOf(ind.litigationRate.window.from)} 至 ${shanghaiDateOf(new Date(Date.parse(ind.litigationRate.window.to) - 1).toISOString())}，人口 ${ind.litigationRate.population} 人）：成讼 ${ind.litigationRate.suits.count} 件，${ind.litigationRate.rate.toFixed(3)}，全市平均 ${ind.litigationRate.cityAverage}，${ind.litigationRate.aboveCityAverage ? '高于' : '不高于'}全市平均。`,
      ],
    },
  ];
}

/** The quarterly report (季度通报) as blocks. */
export function quarterlyReportBlocks(d: QuarterlyReportData): Block[] {
  const name = (id: string) => d.agencyNames[id] ?? id;
  // Who owes a duty, in words: an agency's or a leader's name, never a raw `agency:<id>`.
  const owner = (ref: string): string => {
    const [kind, id = ''] = ref.split(':', 2);
    if (kind === 'agency') return d.agencyNames[id] ?? '涉诉行政机关';
    if (kind === 'leader') return d.leaderNames?.[id] ?? '分管县领导';
    return ref === 'bureau' ? '县司法局' : ref === 'principal-leader' ? '县政府主要领导' : '有关单位';
  };
  const title = `${d.countyName}${quarterName(d.year, d.quarter)}行政机关行政诉讼工作情况通报`;
  const agencies = Object.entries(d.indicators.agencies);
  const blocks: Block[] = [
    { type: 'h1', text: title },
    {
      type: 'p',
      text: `统计期间：${shanghaiDateOf(d.indicators.period.from)} 至 ${shanghaiDateOf(new Date(Date.parse(d.indicators.period.to) - 1).toISOString())}；生成时间：${shanghaiDateOf(d.generatedAt)}。依据：武政办〔2023〕47号 五“按季度通报全县行政机关行政诉讼工作情况”。`,
    },
    { type: 'h2', text: '一、全县总体情况' },
    ...overview(d.indicators.county),
    { type: 'h2', text: '二、各单位情况' },
    {
      type: 'table',
      head: [
        '单位',
        '新增案件',
        '诉前化解',
        '审结',
        '败诉',
        '败诉率',
        '应出庭',
        '出庭并发言',
        '出庭应诉率',
        '迟办',
        '逾期未办',
        '万人成讼率',
      ],
      rows: agencies.map(([id, ind]) => [
        name(id),
        num(ind.registered.total),
        num(ind.mediation.resolvedPreSuit),
        String(ind.lossRate.denominator.count),
        String(ind.lossRate.numerator.count),
        pct(ind.lossRate.rate),
        String(ind.appearanceRate.denominator.count),
        String(ind.appearanceRate.numerator.count),
        pct(ind.appearanceRate.rate),
        String(ind.duties.doneLate.length),
        String(ind.duties.stillOverdue.length),
        ind.litigationRate.rate.toFixed(3),
      ]),
    },
    { type: 'h2', text: '三、负责人出庭应诉未到位情况' },
    {
      type: 'list',
      items: agencies.flatMap(([id, ind]) =>
        ind.appearanceRate.misses.map(
          (m) =>
            `${name(id)}：案件 ${m.caseId}，${shanghaiDateOf(m.scheduledAt)} 开庭（${m.hearingId}），${missNames[m.reason]}${m.who ? `，出庭人 ${m.who}` : ''}`,
        ),
      ),
    },
    { type: 'h2', text: '四、逾期事项' },
    {
      type: 'list',
      items: [
        ...d.indicators.county.duties.stillOverdue.map(
          (x) =>
            `仍逾期：案件 ${x.caseId}「${x.title}」（${owner(x.owner)}，应于 ${x.dueDate} 前完成，已逾期 ${x.daysLate} 天）`,
        ),
        ...d.indicators.county.duties.doneLate.map(
          (x) =>
            `迟办：案件 ${x.caseId}「${x.title}」（${owner(x.owner)}，应于 ${x.dueDate} 前完成，迟 ${x.daysLate} 天办结）`,
        ),
      ],
    },
    { type: 'h2', text: '五、工作提醒函' },
    {
      type: 'list',
      items: d.letters.map(
        (l) =>
          `向${name(l.agencyId)}发出《工作提醒函》：${l.breaches.map((b) => `${b.text}${cases(b)}`).join('；')}。请于收函后按期书面反馈整改措施。`,
      ),
    },
    { type: 'h2', text: '六、提请县政府主要领导约谈' },
    {
      type: 'list',
      items: d.interviews.map(
        (i) =>
          `${name(i.agencyId)}收到${letterName(i.previousLetterId)}（${letterStatusNames[i.previousLetterStatus] ?? '已发出'}）后未有效落实，${i.breaches.map((b) => b.text).join('；')}，依照武政办〔2023〕47号 五，提请县政府主要领导约谈。`,
      ),
    },
    { type: 'h2', text: '附：各单位指标明细（案件编号）' },
    ...agencies.flatMap(([id, ind]): Block[] =>
      ind.registered.total.count +
        ind.lossRate.denominator.count +
        ind.appearanceRate.denominator.count +
        ind.litigationRate.suits.count ===
      0
        ? []
        : [
            { type: 'h3', text: name(id) },
            {
              type: 'list',
              items: [
                `新增案件${cases(ind.registered.total) || '：无'}`,
                `审结${cases(ind.lossRate.denominator) || '：无'}；败诉${cases(ind.lossRate.numerator) || '：无'}；败诉率 ${rateText(ind.lossRate)}`,
                `负责人出庭应诉率 ${rateText(ind.appearanceRate)}${cases(ind.appearanceRate.denominator)}`,
                `年内成讼${cases(ind.litigationRate.suits) || '：无'}`,
              ],
            },
          ],
    ),
  ];
  return blocks;
}

export function renderQuarterlyReport(d: QuarterlyReportData): { title: string; markdown: string; html: string } {
  const blocks = quarterlyReportBlocks(d);
  const title = (blocks[0] as { text: string }).text;
  return { title, markdown: toMarkdown(blocks), html: toHtml(blocks, title) };
}

/** 《工作提醒函》 to one agency, naming the figures and the cases. */
export function renderReminderLetter(l: {
  letterId: string;
  year: number;
  quarter: number;
  agencyName: string;
  breaches: Breach[];
  issuedAt: string;
  answerDays: string;
}): string {
  const blocks: Block[] = [
    { type: 'h1', text: '工作提醒函' },
    { type: 'p', text: `${quarterName(l.year, l.quarter)}` },
    { type: 'p', text: `${l.agencyName}：` },
    {
      type: 'p',
      text: `根据武政办〔2023〕47号 五“适时对败诉率高或行政诉讼案件数量多的涉诉行政机关发《工作提醒函》”的规定，经统计，贵单位${quarterName(l.year, l.quarter)}行政诉讼工作存在以下情况：`,
    },
    { type: 'list', items: l.breaches.map((b) => `${b.text}${cases(b)}。`) },
    {
      type: 'p',
      text: `请贵单位高度重视，认真分析原因，加强行政执法源头治理和行政争议实质性化解，落实负责人出庭应诉制度，并于${l.answerDays}向县司法局书面反馈整改措施。逾期未反馈的，将报分管县领导督办；未有效落实且败诉率、万人成讼率持续较高的，由县政府主要领导约谈。`,
    },
    { type: 'p', text: `县司法局　${shanghaiDateOf(l.issuedAt)}` },
  ];
  return toMarkdown(blocks);
}
