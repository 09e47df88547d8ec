import { allowedEvents } from '../../src/workflows/case/machine';
import { harness } from './machine-harness';

const agency = 'agency:natural-resources';
const leader = 'leader:vice-head-li';

describe('allowedEvents', () => {
  test('offers the agency what an in-suit case awaits from it, and the bureau its own acts besides', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const now = '2026-03-02T03:00:00Z';
    expect(allowedEvents(h.state, agency, now)).toEqual([
      'entrustment-letter',
      'insuit-report',
      'defence-submitted',
      'self-correction',
      'withdrawn',
      'hearing-scheduled',
      'appearance-plan',
      'appearance-record',
      'judgment',
    ]);
    expect(allowedEvents(h.state, 'bureau', now)).toEqual(
      expect.arrayContaining([
        'insuit-report',
        'major-case',
        'recalculate-deadlines',
        'registration-amended',
        'registration-voided',
      ]),
    );
    // 二: only the leader in charge consents to a deputy.
    expect(allowedEvents(h.state, 'bureau', now)).not.toContain('substitute-approval');
    expect(allowedEvents(h.state, 'bureau', now)).not.toContain('presuit-feedback');
  });

  test('offers the leader in charge only the consent to a deputy, and operators and strangers nothing', async () => {
    const h = harness(
      { trigger: { type: 'response-notice', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const now = '2026-03-02T03:00:00Z';
    expect(allowedEvents(h.state, leader, now)).toEqual(['substitute-approval']);
    expect(allowedEvents(h.state, 'operator', now)).toEqual([]);
    expect(allowedEvents(h.state, 'agency:hrss', now)).toEqual([]);
  });

  test('follows the state: an open mediation offers its progress and result, and a closed case offers nothing', async () => {
    const h = harness(
      { trigger: { type: 'entrustment-letter', receivedAt: '2026-03-02T09:00:00+08:00' } },
      '2026-03-02T02:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const now = '2026-03-02T03:00:00Z';
    const offered = allowedEvents(h.state, agency, now);
    expect(offered).toEqual(expect.arrayContaining(['mediation-progress', 'mediation-extension', 'mediation-result']));
    expect(offered).not.toContain('entrustment-letter');
    await h.machine.apply(
      { type: 'mediation-result', result: { outcome: 'resolved', summary: '双方达成和解' } },
      agency,
    );
    expect(h.state.stage).toBe('closed');
    expect(allowedEvents(h.state, agency, now)).toEqual([]);
    expect(allowedEvents(h.state, 'bureau', now)).toEqual([]);
  });

  test('agrees with the refusal check on every event the console would not offer', async () => {
    const h = harness(
      { trigger: { type: 'oral-notice', receivedAt: '2026-02-10T10:00:00+08:00' } },
      '2026-02-10T03:00:00Z',
    );
    await h.machine.register(h.registration, 'bureau');
    const offered = allowedEvents(h.state, agency, '2026-02-10T03:00:00Z');
    expect(offered).toContain('presuit-feedback');
    expect(h.machine.rejectReason({ type: 'presuit-feedback', summary: '正在协调' }, agency)).toBeUndefined();
    expect(offered).not.toContain('filing');
    expect(h.machine.rejectReason({ type: 'filing' }, agency)?.message).toMatch(/没有待备案的裁判文书/);
  });
});
