// Who gets a letter and who is sent to an interview this quarter: pure, from the indicators and last quarter's letters.
import type { IndicatorReport } from './indicators';
import type { QuarterlyInterviewEntry, QuarterlyLetterEntry } from './render';
import type { LetterRecord } from './store';
import { breachesOf, rateBreaches, type Breach, type ReportConfig } from './thresholds';

export const reportId = (year: number, quarter: number): string => `quarterly-report-${year}-Q${quarter}`;
export const letterId = (year: number, quarter: number, agencyId: string): string => `${year}-Q${quarter}-${agencyId}`;

export interface QuarterDecisions {
  breaches: Record<string, Breach[]>;
  letters: QuarterlyLetterEntry[];
  interviews: QuarterlyInterviewEntry[];
}

/**
 * Letters go to every agency over a threshold. An interview (约谈, section 五: 未有效落实且败诉率、万人成讼率持续较高) is
 * proposed for an agency whose letter named its 败诉率 or 万人成讼率 when that rate is still over its threshold in
 * each of the `config.interviewAfterReports` reports after the letter, this one included, whether or not the agency
 * answered the letter: an answer that changed nothing is not rectification.
 *
 * `earlierLetters` are the letters of the quarter `interviewAfterReports` quarters back; `between` holds each agency's
 * breaches in the reports between that quarter and this one, oldest first (empty with the default of one report).
 */
export function decideQuarter(
  year: number,
  quarter: number,
  ind: IndicatorReport,
  earlierLetters: LetterRecord[],
  config: ReportConfig,
  between: Record<string, Breach[]>[] = [],
): QuarterDecisions {
  const breaches: Record<string, Breach[]> = {};
  const letters: QuarterlyLetterEntry[] = [];
  for (const [agencyId, figures] of Object.entries(ind.agencies)) {
    const b = breachesOf(figures, config);
    breaches[agencyId] = b;
    if (b.length) letters.push({ letterId: letterId(year, quarter, agencyId), agencyId, breaches: b });
  }
  const interviews: QuarterlyInterviewEntry[] = [];
  for (const prev of earlierLetters) {
    const named = new Set(rateBreaches(prev.breaches).map((b) => b.kind));
    const persists = (bs: Breach[] | undefined) => (bs ?? []).filter((b) => named.has(b.kind));
    const still = persists(breaches[prev.agencyId]);
    if (still.length && between.every((report) => persists(report[prev.agencyId]).length > 0))
      interviews.push({
        agencyId: prev.agencyId,
        previousLetterId: prev.id,
        previousLetterStatus: prev.status,
        breaches: still,
      });
  }
  return { breaches, letters, interviews };
}
