import { parseConfig, ConfigError } from '../../../src/config';
import { parseThresholds, parseWebhooks } from '../../../src/radar/webhook-settings';

const SECRET = `whsec_${Buffer.from('a-secret-of-enough-bytes-0123456789').toString('base64')}`;

describe('the webhook settings', () => {
  it('reads targets, every event type when none is named', () => {
    const parsed = parseWebhooks(JSON.stringify([{ url: 'https://hooks.example.com/in', secret: SECRET }]), 'WEBHOOKS');

    expect(parsed).toEqual([{ url: 'https://hooks.example.com/in', secret: SECRET, events: expect.arrayContaining(['certificate.expiring', 'certificate.changed']) }]);
  });

  it.each([
    ['not JSON', '{nope', 'must be JSON'],
    ['not a list', '{}', 'JSON array'],
    ['a URL that is not http(s)', JSON.stringify([{ url: 'file:///etc/passwd', secret: SECRET }]), '.url'],
    ['a URL with credentials', JSON.stringify([{ url: 'https://user:pass@hooks.example.com/', secret: SECRET }]), '.url'],
    ['no URL', JSON.stringify([{ secret: SECRET }]), '.url'],
    ['a secret without the whsec_ prefix', JSON.stringify([{ url: 'https://h.example.com/', secret: 'plain-secret-value-0123456789' }]), '.secret'],
    ['a short secret', JSON.stringify([{ url: 'https://h.example.com/', secret: 'whsec_abc' }]), '.secret'],
    ['an unknown event', JSON.stringify([{ url: 'https://h.example.com/', secret: SECRET, events: ['certificate.exploded'] }]), '.events'],
    ['an empty event list', JSON.stringify([{ url: 'https://h.example.com/', secret: SECRET, events: [] }]), '.events'],
  ])('refuses %s in one line that names the field and never quotes a secret', (_name, text, field) => {
    const parsed = parseWebhooks(text, 'WEBHOOKS');

    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(field);
    expect(parsed).not.toContain('plain-secret-value');
    expect(parsed).not.toContain(SECRET);
  });

  it('stops the gateway at start with the variable named, for WEBHOOKS and WEBHOOKS_FILE alike', () => {
    expect(() => parseConfig({ WEBHOOKS: '[1]' })).toThrow(ConfigError);
    expect(() => parseConfig({ WEBHOOKS: '[]', WEBHOOKS_FILE: '/nowhere' })).toThrow('Set WEBHOOKS or WEBHOOKS_FILE, not both.');
    expect(() => parseConfig({ WEBHOOKS_FILE: '/nowhere/webhooks.json' })).toThrow('WEBHOOKS_FILE cannot be read: ENOENT');
  });
});

describe('the expiry thresholds', () => {
  it('reads whole days, largest first, each once', () => {
    expect(parseThresholds('7, 30,14,7,1')).toEqual([30, 14, 7, 1]);
  });

  it.each(['', ' ', '0', '-1', '7,,1', 'seven', '1.5', '30;14', '99999'])('refuses "%s"', (text) => {
    expect(parseThresholds(text)).toEqual(expect.stringContaining('EXPIRY_THRESHOLDS_DAYS'));
  });

  it('refuses SLB_REGIONS that are not region ids, and WEBHOOK_RETRY_BASE_MS out of range', () => {
    expect(() => parseConfig({ SLB_REGIONS: 'cn-hangzhou,../../etc' })).toThrow('SLB_REGIONS');
    expect(() => parseConfig({ SLB_REGIONS: ',,' })).toThrow('SLB_REGIONS');
    expect(() => parseConfig({ WEBHOOK_RETRY_BASE_MS: '0' })).toThrow('WEBHOOK_RETRY_BASE_MS');
    expect(() => parseConfig({ INVENTORY_REFRESH_SECONDS: '1' })).toThrow('INVENTORY_REFRESH_SECONDS');
  });
});
