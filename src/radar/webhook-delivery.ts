import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type CertificateEvent } from './certificate-event';
import { type WebhookTarget } from './webhook-settings';

export type DeliveryOutcome = 'delivered' | 'retried' | 'failed' | 'refused';

/** Longest wait for a receiver's answer (Standard Webhooks' guidance: answer fast, work later). */
const DELIVERY_TIMEOUT_MS = 10_000;

/** A delivery that must not be tried again: the target is one the gateway may not call. */
export class RefusedTarget extends Error {}

/** Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE: loopback, private, link-local, unique-local, unspecified. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4 written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The body Standard Webhooks receivers read: the event's type, its time, and its data (no PEM, no key). */
export function payloadOf(event: CertificateEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.at,
    data: { certificate: event.certificate, ...(event.threshold === undefined ? {} : { threshold: event.threshold }), ...(event.change ? { change: event.change } : {}) },
  });
}

/**
 * One attempt to deliver an event to a target: signed as Standard Webhooks specifies (the event's id
 * is the `webhook-id` of every attempt, so a receiver can tell a retry from a new event), sent to an
 * address checked as it is resolved (so a name cannot resolve to a private address after the check),
 * answered 2xx or it failed.
 */
export async function deliver(target: WebhookTarget, event: CertificateEvent, options: { allowPrivate: boolean; now?: Date }): Promise<void> {
  const payload = payloadOf(event);
  const timestamp = options.now ?? new Date();
  const signature = new Webhook(target.secret).sign(event.id, timestamp, payload);
  const url = new URL(target.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const lookup = (hostname: string, lookupOptions: object, done: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return done(error, []);
      const allowed = (addresses as LookupAddress[]).filter((entry) => options.allowPrivate || !isPrivateAddress(entry.address));
      if (allowed.length === 0) return done(new RefusedTarget(`${url.hostname} resolves only to private or loopback addresses.`), []);
      const wantsAll = (lookupOptions as { all?: boolean }).all === true;
      if (wantsAll) return done(null, allowed);
      const first = allowed[0] as LookupAddress;
      return done(null, first.address, first.family);
    });
  };
  if (!options.allowPrivate && isIP(url.hostname.replace(/^\[|\]$/g, '')) && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
    throw new RefusedTarget(`${url.hostname} is a private or loopback address.`);
  }
  await new Promise<void>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: 'POST',
        timeout: DELIVERY_TIMEOUT_MS,
        lookup: lookup as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'user-agent': 'certificate-gateway-webhooks',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`the receiver answered ${status}`));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    outgoing.on('error', (error) => reject(error instanceof RefusedTarget ? error : new Error(error.message)));
    outgoing.end(payload);
  });
}
