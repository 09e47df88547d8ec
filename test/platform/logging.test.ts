import pino from 'pino';
import { caseIdOf, sdkLogger } from '../../src/temporal/logging';

test('a Temporal log line about a case carries its case id; other workflows carry none', () => {
  expect(caseIdOf({ workflowId: 'case-2026-XZ-001' })).toBe('2026-XZ-001');
  expect(caseIdOf({ workflowId: 'quarterly-report-2026-Q4' })).toBeUndefined();
  expect(caseIdOf(undefined)).toBeUndefined();
});

test('the SDK’s log entries come out as JSON lines with the case id', () => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => lines.push(l) });
  sdkLogger(log).info('Activity completed', { workflowId: 'case-T-1', activityType: 'recordCase' });
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ msg: 'Activity completed', caseId: 'T-1', activityType: 'recordCase', level: 30 });
});
