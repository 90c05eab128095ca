import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../src/emulator/emulator';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

type Sites = { Sites: Array<{ SiteName: string; SiteId: number }>; TotalCount: number };

describe('the emulator admin API', () => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA');
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  describe('stats', () => {
    it('counts calls per Product.Action, failed ones included, since the last reset', async () => {
      await esa.call('ListSites');
      await esa.call('ListSites');
      await esa.fail('GetSite', { SiteId: '1' });
      const { body } = await emulator.admin<{ calls: Record<string, number>; total: number }>('GET', 'stats');
      expect(body).toEqual({ calls: { 'ESA.GetSite': 1, 'ESA.ListSites': 2 }, total: 3 });
      await emulator.reset();
      expect(await emulator.stats()).toEqual({});
    });

    it('clears the counts alone on DELETE', async () => {
      await esa.call('ListSites');
      await emulator.admin('DELETE', 'stats');
      expect(await emulator.stats()).toEqual({});
    });
  });

  describe('faults', () => {
    it('makes matching calls fail with the status and code given', async () => {
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetSite', status: 503, code: 'ServiceUnavailable' });
      await expect(esa.fail('GetSite', { SiteId: '1234567890123' })).resolves.toMatchObject({
        code: 'ServiceUnavailable',
        statusCode: 503,
        message: expect.stringContaining('temporary failure'),
      });
      await expect(esa.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
    });

    it('stops after count matching calls', async () => {
      await emulator.admin('POST', 'faults', { action: 'ListSites', status: 400, code: 'Throttling.User', count: 2 });
      await expect(esa.fail('ListSites')).resolves.toMatchObject({ code: 'Throttling.User' });
      await expect(esa.fail('ListSites')).resolves.toMatchObject({ code: 'Throttling.User' });
      await expect(esa.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
      expect((await emulator.admin<{ faults: unknown[] }>('GET', 'faults')).body.faults).toEqual([]);
    });

    it('never fires at rate 0 and leaves other products alone', async () => {
      await emulator.admin('POST', 'faults', { action: 'ListSites', status: 500, code: 'InternalError', rate: 0 });
      await emulator.admin('POST', 'faults', { product: 'SLB', status: 500, code: 'InternalError' });
      await expect(esa.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
    });

    it('delays matching calls by latencyMs, so a client timeout cuts them off', async () => {
      const impatient = new AlibabaTestClient(emulator, 'ESA', { timeoutMs: 300 });
      await expect(impatient.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
      await emulator.admin('POST', 'faults', { action: 'ListSites', latencyMs: 1500 });
      await expect(impatient.fail('ListSites')).resolves.toMatchObject({ message: expect.stringMatching(/Timeout/) });
    });

    it('refuses malformed fault specifications and clears faults on DELETE', async () => {
      const bad = await emulator.admin<{ Code: string; Message: string }>('POST', 'faults', { status: 503 });
      expect([bad.status, bad.body.Message]).toEqual([400, 'status and code go together.']);
      expect((await emulator.admin('POST', 'faults', { rate: 2, latencyMs: 1 })).status).toBe(400);
      await emulator.admin('POST', 'faults', { status: 503, code: 'ServiceUnavailable' });
      await emulator.admin('DELETE', 'faults');
      await expect(esa.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
    });
  });

  describe('seed and reset', () => {
    it('adds sites that the API then serves, and reset takes them away again', async () => {
      const seeded = await emulator.admin('POST', 'seed', {
        sites: [{ id: '5678901234567', name: 'seeded.example.org', status: 'active', accessType: 'CNAME', plan: 'basic' }],
      });
      expect(seeded.status).toBe(200);
      const site = await esa.call<{ SiteModel: Record<string, unknown> }>('GetSite', { SiteId: '5678901234567' });
      expect(site.SiteModel).toMatchObject({ SiteName: 'seeded.example.org', AccessType: 'CNAME', PlanSpecName: 'basic' });
      await emulator.reset();
      await expect(esa.fail('GetSite', { SiteId: '5678901234567' })).resolves.toMatchObject({ code: 'SiteNotFound' });
    });

    it('refuses an invalid seed whole, adding nothing', async () => {
      const answer = await emulator.admin<{ Message: string }>('POST', 'seed', {
        sites: [
          { id: '5678901234567', name: 'good.example.org' },
          { id: 'not-a-number', name: 'bad.example.org' },
        ],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.Message).toContain('sites[1].id');
      expect((await esa.call<Sites>('ListSites')).TotalCount).toBe(4);
    });

    it('keeps each access key its own account', async () => {
      const twoKeys = await startTestEmulator({ accessKeys: new Map([['key-a', 'secret-a'], ['key-b', 'secret-b']]) });
      try {
        await twoKeys.admin('POST', 'seed', { accessKeyId: 'key-b', sites: [{ id: '9876543210987', name: 'only-b.example.org' }] });
        const a = new AlibabaTestClient(twoKeys, 'ESA', { accessKeyId: 'key-a', accessKeySecret: 'secret-a' });
        const b = new AlibabaTestClient(twoKeys, 'ESA', { accessKeyId: 'key-b', accessKeySecret: 'secret-b' });
        expect((await a.call<Sites>('ListSites')).TotalCount).toBe(4);
        expect((await b.call<Sites>('ListSites')).TotalCount).toBe(5);
      } finally {
        await twoKeys.stop();
      }
    });
  });

  describe('clock and validation settings', () => {
    it('moves the emulated clock forward and back to real time on reset', async () => {
      const before = Date.parse((await emulator.admin<{ now: string }>('GET', 'clock')).body.now);
      const moved = await emulator.admin<{ now: string; offsetMs: number }>('POST', 'clock', { advanceSeconds: 86_400 });
      expect(moved.body.offsetMs).toBe(86_400_000);
      expect(Date.parse(moved.body.now) - before).toBeGreaterThanOrEqual(86_400_000);
      await emulator.reset();
      expect((await emulator.admin<{ offsetMs: number }>('GET', 'clock')).body.offsetMs).toBe(0);
    });

    it('switches the validation mode and refuses unknown modes', async () => {
      const set = await emulator.admin('POST', 'validations/mode', { mode: 'immediate' });
      expect(set.body).toEqual({ mode: 'immediate', delayMs: 5000 });
      expect((await emulator.admin('POST', 'validations/mode', { mode: 'eventually' })).status).toBe(400);
    });

    it('answers unknown admin routes with a 404 that lists the routes', async () => {
      const answer = await emulator.admin<{ Message: string }>('GET', 'nothing-here');
      expect(answer.status).toBe(404);
      expect(answer.body.Message).toContain('POST /_emulator/reset');
    });
  });
});

describe('emulator state across restarts (--state FILE)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps seeded sites after a restart and leaves no temporary files', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startTestEmulator({ stateFile });
    await first.admin('POST', 'seed', { sites: [{ id: '5678901234567', name: 'kept.example.org' }] });
    await first.stop();
    expect(readdirSync(dir)).toEqual(['state.json']);

    const second = await startTestEmulator({ stateFile });
    try {
      const site = await new AlibabaTestClient(second, 'ESA').call<{ SiteModel: { SiteName: string } }>('GetSite', { SiteId: '5678901234567' });
      expect(site.SiteModel.SiteName).toBe('kept.example.org');
    } finally {
      await second.stop();
    }
  });

  it('refuses to start on a file that is not emulator state, leaving it untouched', async () => {
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{"hello":"world"}');
    await expect(startEmulator({ stateFile, log: () => undefined })).rejects.toThrow('is not an emulator state file');
    expect(readFileSync(stateFile, 'utf8')).toBe('{"hello":"world"}');
  });

  it('creates the state file and its folder when they do not exist yet', async () => {
    const stateFile = join(dir, 'nested', 'state.json');
    const emulator = await startTestEmulator({ stateFile });
    await emulator.stop();
    expect(existsSync(stateFile)).toBe(true);
  });
});
