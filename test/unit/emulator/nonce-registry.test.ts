import { NonceRegistry } from '../../../src/emulator/protocol/nonce-registry';

describe('the nonce registry', () => {
  let now = 0;
  const registry = () => new NonceRegistry(1000, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('refuses a nonce seen within the window', () => {
    const nonces = registry();
    expect(nonces.claim('key', 'n1')).toBe(true);
    now = 999;
    expect(nonces.claim('key', 'n1')).toBe(false);
  });

  it('keeps nonces of different keys apart', () => {
    const nonces = registry();
    expect(nonces.claim('key-a', 'n1')).toBe(true);
    expect(nonces.claim('key-b', 'n1')).toBe(true);
  });

  it('still remembers a nonce one rotation later, and forgets it after two', () => {
    const nonces = registry();
    nonces.claim('key', 'n1');
    now = 1500;
    expect(nonces.claim('key', 'n1')).toBe(false);
    now = 3100;
    expect(nonces.claim('key', 'n1')).toBe(true);
  });
});
