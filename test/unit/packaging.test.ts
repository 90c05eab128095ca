import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const { redis, emulator, gateway } = compose.services;

  it('runs redis, the emulator and the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['emulator', 'gateway', 'redis']);
    expect(redis?.image).toMatch(/^redis:/);
    expect(emulator?.build).toBe('.');
    expect(gateway?.build).toBe('.');
  });

  it('points the gateway at the emulator service with keys the emulator accepts', () => {
    const port = emulator?.environment?.EMULATOR_PORT;
    expect(gateway?.environment?.ESA_ENDPOINT).toBe(`emulator:${port}`);
    expect(gateway?.environment?.SLB_ENDPOINT).toBe(`emulator:${port}`);
    expect(gateway?.environment?.ALIBABA_CLOUD_PROTOCOL).toBe('http');
    const keys = emulator?.environment?.EMULATOR_ACCESS_KEYS ?? '';
    const pair = `${gateway?.environment?.ALIBABA_CLOUD_ACCESS_KEY_ID}:${gateway?.environment?.ALIBABA_CLOUD_ACCESS_KEY_SECRET}`;
    expect(keys.split(',')).toContain(pair);
    expect(emulator?.environment?.EMULATOR_HOST).toBe('0.0.0.0');
    expect(gateway?.environment?.HOST).toBe('0.0.0.0');
  });

  it('states its choice about callers\' keys, since cloud mode refuses to start without one', () => {
    const env = gateway?.environment ?? {};
    expect(env.AUTH_DISABLED === 'true' || env.API_KEYS !== undefined || env.API_KEYS_FILE !== undefined).toBe(true);
  });

  it('uses Redis as the gateway cache and waits for healthy dependencies', () => {
    expect(gateway?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(gateway?.depends_on).toEqual({ redis: { condition: 'service_healthy' }, emulator: { condition: 'service_healthy' } });
    expect(redis?.healthcheck).toBeDefined();
    expect(emulator?.healthcheck?.test.join(' ')).toContain(`:${emulator?.environment?.EMULATOR_PORT}/_emulator/health`);
  });

  it('runs programs the build produces', () => {
    const script = emulator?.command?.[1] ?? '';
    expect(script).toBe('dist/emulator/main.js');
    expect(existsSync(join(root, 'src', script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(gateway?.ports).toContain(`${gateway?.environment?.PORT}:${gateway?.environment?.PORT}`);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const stages = lines.filter((line) => line.startsWith('FROM '));
  const final = lines.slice(lines.lastIndexOf(stages.at(-1) ?? ''));

  it('builds in one stage and runs from another, on the Node major the project targets', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^FROM node:20\S* AS build$/);
    expect(stages[1]).toMatch(/^FROM node:20\S* AS runtime$/);
    expect(final.some((line) => line.startsWith('COPY --from=build /app/dist ./dist'))).toBe(true);
  });

  it('installs production dependencies only in the image it runs', () => {
    expect(final.join('\n')).toContain('npm ci --omit=dev');
    expect(final.join('\n')).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
  });

  it('runs as a non-root user the gateway entry point the build produces', () => {
    expect(final).toContain('USER node');
    expect(final.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    expect(existsSync(join(root, 'src/main.ts'))).toBe(true);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });
});
