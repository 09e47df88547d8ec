import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const bin = join(root, 'bin', 'yingsu.js');

function yingsu(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const { YINGSU_RULES_FILE: _ignored, ...base } = process.env;
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...base, ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the yingsu command line', () => {
  test('prints one JSON object with the due date, the due instant and the basis', () => {
    const r = yingsu(['deadline', 'presuit-oral-feedback', '2026-02-10']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      rule: 'presuit-oral-feedback',
      from: '2026-02-10',
      dueDate: '2026-02-24',
      dueAt: '2026-02-24T16:00:00.000Z',
      provisional: false,
    });
    expect(out.basis).toContain('武政办〔2023〕47号 一(一)');
  });

  test('computes the Litigation Law’s appeal period, rolled past 春节', () => {
    const r = yingsu(['deadline', 'appeal-period-judgment', '2026-02-06']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rule: 'appeal-period-judgment', dueDate: '2026-02-24' });
    expect(JSON.parse(yingsu(['deadline', 'appeal-period-ruling', '2026-03-02']).stdout)).toMatchObject({
      dueDate: '2026-03-12',
    });
    expect(JSON.parse(yingsu(['deadline', 'defence-and-evidence', '2026-09-24']).stdout)).toMatchObject({
      dueDate: '2026-10-09',
    });
  });

  test('accepts an instant and --nth', () => {
    const r = yingsu(['deadline', 'mediation-weekly-progress', '2026-01-31T17:30:00Z', '--nth', '2']);
    expect(r.status).toBe(0);
    // Shanghai date 02-01; day 14 = 02-15 (春节) → 02-24.
    expect(JSON.parse(r.stdout)).toMatchObject({ fromDate: '2026-02-01', nth: 2, dueDate: '2026-02-24' });
  });

  test('marks a 2027 deadline provisional', () => {
    const r = yingsu(['deadline', 'insuit-report', '2027-03-05']);
    expect(JSON.parse(r.stdout)).toMatchObject({ dueDate: '2027-03-08', provisional: true });
  });

  test('applies overrides from --rules and from YINGSU_RULES_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'yingsu-cli-')), 'rules.json');
    writeFileSync(file, JSON.stringify({ 'insuit-report': { method: 'working-days', amount: 3 } }));
    expect(JSON.parse(yingsu(['deadline', 'insuit-report', '2026-03-13', '--rules', file]).stdout).dueDate).toBe(
      '2026-03-18',
    );
    expect(
      JSON.parse(yingsu(['deadline', 'insuit-report', '2026-03-13'], { YINGSU_RULES_FILE: file }).stdout).dueDate,
    ).toBe('2026-03-18');
  });

  test('extends a mediation period', () => {
    const r = yingsu(['deadline', 'mediation-period', '2026-01-15', '--extend-months', '1']);
    expect(JSON.parse(r.stdout)).toMatchObject({ dueDate: '2026-03-24', extension: { months: 1 } });
  });

  test('exits non-zero with a clear message for an unknown rule', () => {
    const r = yingsu(['deadline', 'appeal', '2026-02-10']);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown rule "appeal"; the rules are presuit-oral-feedback/);
  });

  test('exits non-zero with a clear message for a malformed date', () => {
    const r = yingsu(['deadline', 'insuit-report', '2026-02-30']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/from "2026-02-30" is neither a date YYYY-MM-DD/);
  });

  test('exits non-zero for a missing argument, an unknown option or a bad overrides file', () => {
    expect(yingsu(['deadline', 'insuit-report']).status).not.toBe(0);
    expect(yingsu(['deadline', 'insuit-report', '2026-02-10', '--month', '1']).stderr).toMatch(
      /Unknown option '--month'/,
    );
    expect(yingsu(['deadline', 'insuit-report', '2026-02-10', '--nth', 'two']).stderr).toMatch(
      /--nth must be a whole number/,
    );
    const r = yingsu(['deadline', 'insuit-report', '2026-02-10', '--rules', '/nonexistent/rules.json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read rule overrides \/nonexistent\/rules.json/);
  });
});
