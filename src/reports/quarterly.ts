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
 * Letters go to every agency over a threshold. An agency whose previous-quarter letter is still unanswered (an
 * acknowledgement alone is not rectification) and whose rates are still over the thresholds is put to the principal
 * leader for an interview (约谈, section 五).
 */
export function decideQuarter(
  year: number,
  quarter: number,
  ind: IndicatorReport,
  previousLetters: LetterRecord[],
  config: ReportConfig,
): QuarterDecisions {
  const breaches: Record<string, Breach[]> = {};
  const letters: QuarterlyLetterEntry[] = [];
  for (const [agencyId, figures] of Object.entries(ind.agencies)) {
    const b = breachesOf(figures, config);
    breaches[agencyId] = b;
    if (b.length) letters.push({ letterId: letterId(year, quarter, agencyId), agencyId, breaches: b });
  }
  const interviews: QuarterlyInterviewEntry[] = [];
  for (const prev of previousLetters) {
    if (prev.status === 'answered') continue;
    const still = rateBreaches(breaches[prev.agencyId] ?? []);
    if (still.length)
      interviews.push({
        agencyId: prev.agencyId,
        previousLetterId: prev.id,
        previousLetterStatus: prev.status,
        breaches: still,
      });
  }
  return { breaches, letters, interviews };
}
