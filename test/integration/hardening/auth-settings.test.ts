import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../src/config';
import { DEMO } from '../../../src/emulator/state/demo';

describe('settings for callers\' keys', () => {
  const CLOUD = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' };
  const KEY = { key: 'a-key-of-twenty-chars', scopes: ['certificates:read'] };
  const refusal = (env: NodeJS.ProcessEnv): ConfigError => {
    try {
      parseConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('parseConfig accepted the settings');
  };
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start in cloud mode without keys, with one line naming API_KEYS and AUTH_DISABLED', () => {
    const message = refusal(CLOUD).message;

    expect(message).toContain('API_KEYS');
    expect(message).toContain('AUTH_DISABLED=true');
    expect(message).not.toContain('\n');
  });

  it('starts in cloud mode without keys when AUTH_DISABLED=true', () => {
    const config = parseConfig({ ...CLOUD, AUTH_DISABLED: 'true' });

    expect(config.mode).toBe('cloud');
    expect(config.authDisabled).toBe(true);
    expect(config.apiKeys).toEqual([]);
  });

  it('starts in cloud mode with keys, and in local mode without any', () => {
    expect(parseConfig({ ...CLOUD, API_KEYS: JSON.stringify([KEY]) }).apiKeys).toEqual([KEY]);
    expect(parseConfig({}).apiKeys).toEqual([]);
  });

  it('reads keys from API_KEYS_FILE', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify([{ ...KEY, sites: [DEMO.sites.example], regions: ['cn-hangzhou'] }]));

    expect(parseConfig({ ...CLOUD, API_KEYS_FILE: file }).apiKeys).toEqual([{ ...KEY, sites: [DEMO.sites.example], regions: ['cn-hangzhou'] }]);
  });

  it.each([
    ['JSON that does not parse', 'API_KEYS', { API_KEYS: '[{"key": ' }],
    ['an empty list', 'API_KEYS', { API_KEYS: '[]' }],
    ['a key shorter than 16 characters', 'API_KEYS[0].key', { API_KEYS: JSON.stringify([{ key: 'short-key', scopes: ['certificates:read'] }]) }],
    ['a key with a space, which no Authorization header can carry', 'API_KEYS[0].key', { API_KEYS: JSON.stringify([{ key: 'a key with spaces inside', scopes: ['certificates:read'] }]) }],
    ['a key longer than a header token may be', 'API_KEYS[0].key', { API_KEYS: JSON.stringify([{ key: 'k'.repeat(513), scopes: ['certificates:read'] }]) }],
    ['a key with characters outside ASCII', 'API_KEYS[0].key', { API_KEYS: JSON.stringify([{ key: 'clé-0123456789abcdef', scopes: ['certificates:read'] }]) }],
    ['an unknown scope', 'API_KEYS[0].scopes', { API_KEYS: JSON.stringify([{ ...KEY, scopes: ['certificates:admin'] }]) }],
    ['no scopes', 'API_KEYS[0].scopes', { API_KEYS: JSON.stringify([{ ...KEY, scopes: [] }]) }],
    ['sites that are not site ids', 'API_KEYS[0].sites', { API_KEYS: JSON.stringify([{ ...KEY, sites: ['example.com'] }]) }],
    ['regions that are not region ids', 'API_KEYS[0].regions', { API_KEYS: JSON.stringify([{ ...KEY, regions: 'cn-hangzhou' }]) }],
    ['the same key twice', 'API_KEYS', { API_KEYS: JSON.stringify([KEY, KEY]) }],
    ['both API_KEYS and API_KEYS_FILE', 'API_KEYS_FILE', { API_KEYS: JSON.stringify([KEY]), API_KEYS_FILE: '/etc/hostname' }],
    ['an API_KEYS_FILE that does not exist', 'API_KEYS_FILE', { API_KEYS_FILE: '/nonexistent/api-keys.json' }],
    ['AUTH_DISABLED that is not true or false', 'AUTH_DISABLED', { AUTH_DISABLED: 'yes' }],
    ['AUTH_DISABLED=true alongside keys, which would leave the keys unchecked', 'AUTH_DISABLED', { AUTH_DISABLED: 'true', API_KEYS: JSON.stringify([KEY]) }],
  ])('stops at start on %s, with one line naming %s', (_case, variable, env) => {
    const message = refusal({ ...CLOUD, ...env }).message;

    expect(message).toContain(variable);
    expect(message).not.toContain('\n');
  });

  it('names API_KEYS_FILE, not API_KEYS, when the file holds bad JSON, and never prints its content', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[{"key": "secret-key-in-a-broken-file"');

    const message = refusal({ ...CLOUD, API_KEYS_FILE: file }).message;

    expect(message.startsWith('API_KEYS_FILE')).toBe(true);
    expect(message).not.toContain('secret-key-in-a-broken-file');
  });

  it('never prints a key it refuses', () => {
    const message = refusal({ ...CLOUD, API_KEYS: JSON.stringify([{ key: 'a-fine-key-0123456789', scopes: ['root'] }]) }).message;

    expect(message).not.toContain('a-fine-key-0123456789');
  });
});
