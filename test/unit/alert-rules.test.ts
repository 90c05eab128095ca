import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const DIRECTORY = join(__dirname, '../../deploy/prometheus');
const RULES = join(DIRECTORY, 'certificate-alerts.yml');
const TESTS = join(DIRECTORY, 'certificate-alerts.test.yml');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules);
const tested = new Set(
  (parse(readFileSync(TESTS, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests.flatMap((test) =>
    (test.alert_rule_test ?? []).filter((check) => check.exp_alerts.length > 0).map((check) => check.alertname),
  ),
);

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = promtool.error === undefined && promtool.status === 0;

function promtoolTest(directory: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['test', 'rules', join(directory, 'certificate-alerts.test.yml')], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the shipped alert rules', () => {
  it('hold renewal due, expiring, expired and stale inventory alerts', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(['CertificateRenewalDue', 'CertificateExpiring', 'CertificateExpired', 'CertificateInventoryStale']);
  });

  it.each(rules.map((rule) => [rule.alert ?? rule.record ?? '?', rule] as const))('give %s a severity, a summary and a promtool test that sees it fire', (name, rule) => {
    expect(['warning', 'critical']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary?.trim()).toBeTruthy();
    expect(tested).toContain(name);
  });

  it('make renewal due a warning and expiring or expired critical', () => {
    const severity = Object.fromEntries(rules.map((rule) => [rule.alert, rule.labels?.severity]));
    expect(severity).toMatchObject({ CertificateRenewalDue: 'warning', CertificateExpiring: 'critical', CertificateExpired: 'critical' });
  });

  const withPromtool = hasPromtool ? it : it.skip;
  const because = hasPromtool ? '' : ' (skipped: promtool is not on PATH; Debian: apt-get install prometheus)';

  withPromtool(`pass their promtool unit tests${because}`, () => {
    const { status, output } = promtoolTest(DIRECTORY);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  withPromtool(`fail their promtool unit tests when a threshold is wrong${because}`, () => {
    const broken = mkdtempSync(join(tmpdir(), 'alert-rules-'));
    try {
      copyFileSync(TESTS, join(broken, 'certificate-alerts.test.yml'));
      const text = readFileSync(RULES, 'utf8');
      expect(text).toContain('< 14 * 86400 > 0');
      writeFileSync(join(broken, 'certificate-alerts.yml'), text.replace('< 14 * 86400 > 0', '< 15 * 86400 > 0'));
      const { status, output } = promtoolTest(broken);
      expect(output).toContain('FAILED');
      expect(status).not.toBe(0);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
