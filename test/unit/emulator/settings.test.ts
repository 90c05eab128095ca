import { parseEmulatorSettings } from '../../../src/emulator/settings';

describe('emulator settings', () => {
  it('defaults to 127.0.0.1:4010 with the documented access key', () => {
    const settings = parseEmulatorSettings({}, []);
    expect(settings).toMatchObject({ port: 4010, host: '127.0.0.1' });
    expect(typeof settings === 'object' && [...(settings.accessKeys ?? [])]).toEqual([['emulator-key', 'emulator-secret']]);
  });

  it('reads several access keys, host, port and a state file', () => {
    const settings = parseEmulatorSettings(
      { EMULATOR_PORT: '0', EMULATOR_HOST: '0.0.0.0', EMULATOR_ACCESS_KEYS: 'a:1,b:2:with-colon' },
      ['--state', '/tmp/state.json'],
    );
    expect(settings).toMatchObject({ port: 0, host: '0.0.0.0', stateFile: '/tmp/state.json' });
    expect(typeof settings === 'object' && [...(settings.accessKeys ?? [])]).toEqual([['a', '1'], ['b', '2:with-colon']]);
  });

  it.each([
    [{ EMULATOR_PORT: 'http' }, [], 'EMULATOR_PORT'],
    [{ EMULATOR_PORT: '70000' }, [], 'EMULATOR_PORT'],
    [{ EMULATOR_ACCESS_KEYS: 'no-secret' }, [], 'EMULATOR_ACCESS_KEYS'],
    [{}, ['--state'], '--state'],
    [{}, ['--verbose'], 'Unknown argument'],
  ])('answers one line naming what is wrong in %p %p', (env, argv, named) => {
    const result = parseEmulatorSettings(env, argv);
    expect(typeof result).toBe('string');
    expect(result).toContain(named);
  });
});
