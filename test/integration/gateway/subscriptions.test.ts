import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO } from '../../../src/emulator/state/demo';
import { type InventoryEntry } from '../../../src/inventory/inventory-entry';
import { Sources } from '../../../src/inventory/sources';
import { eventCertificate, newEvent, type CertificateEvent } from '../../../src/radar/certificate-event';
import { CertificateEventsDocument, CertificateEventsWithPemDocument, type CertificateEventsSubscription } from '../../generated/graphql';
import { onlyError } from '../../helpers/answers';
import { bearer, gatewayError, productionSettings, untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const FULL = 'subscriber-full-key-0123456789';
const EXAMPLE_SITE_ONLY = 'subscriber-example-site-0123456789';
const WRITE_ONLY = 'subscriber-write-only-0123456789';

type EdgeRef = Extract<InventoryEntry['certificate']['ref'], { provider: 'ESA' }>;
type Received = CertificateEventsSubscription['certificateEvents'];

/** A graphql-ws client of `gateway`, presenting `key` in connection_init. */
function clientOf(gateway: TestGateway, key?: string): Client {
  return createClient({
    url: gateway.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(key ? { connectionParams: { authorization: `Bearer ${key}` } } : {}),
  });
}

/** The certificate a test announces: one the inventory holds, from the named source's list. */
function certificateFrom(gateway: TestGateway, source: string): InventoryEntry {
  const entry = [...gateway.inventory.entriesOf(source).values()][0];
  if (!entry) throw new Error(`The inventory holds nothing from ${source}.`);
  return entry;
}

function expiring(entry: InventoryEntry, threshold: number): CertificateEvent {
  const now = new Date();
  return newEvent('certificate.expiring', eventCertificate(entry.certificate, now, 30), now, { threshold });
}

/** What a test publishes until its subscription is heard to be listening; never one of the test's own events. */
function probe(entry: InventoryEntry): CertificateEvent {
  const now = new Date();
  return newEvent('certificate.changed', eventCertificate(entry.certificate, now, 30), now, { change: 'probe' });
}

/**
 * A subscription's events as they arrive, probes left out. `listening` publishes probes of a
 * certificate it may see until it hears one: from then on it hears whatever is published.
 */
function subscribe<T extends { type: string }>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const iterator = client.iterate<{ certificateEvents: T }>({ query, variables });
  // One read at a time: a read that lost a race is the next one's, so no event is dropped.
  let pending: ReturnType<typeof iterator.next> | undefined;
  const read = async (): Promise<T> => {
    const result = await (pending ??= iterator.next());
    pending = undefined;
    if (result.done) throw new Error('The subscription ended.');
    if (result.value.errors) throw Object.assign(new Error('The subscription answered errors.'), { errors: result.value.errors });
    return result.value.data?.certificateEvents as T;
  };
  return {
    async next(): Promise<T> {
      for (;;) {
        const event = await read();
        if (event.type !== 'certificate.changed') return event;
      }
    },
    async listening(through: TestGateway, entry: InventoryEntry): Promise<void> {
      for (;;) {
        // Until the instance's own connection to Redis is up, a publish fails: that probe is not heard either.
        await through.events.publish(probe(entry)).catch(() => undefined);
        const heard = await Promise.race([read().then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))]);
        if (heard) return;
      }
    },
  };
}

/** How the gateway closed a connection it refused, as the client saw it. */
async function refusal(client: Client): Promise<{ code: number; reason: string }> {
  const iterator = client.iterate({ query: print(CertificateEventsDocument) });
  try {
    await iterator.next();
  } catch (error) {
    return { code: (error as { code: number }).code, reason: (error as { reason: string }).reason };
  }
  throw new Error('The connection was accepted.');
}

describe('certificate events over graphql-ws, on two instances sharing a Redis', () => {
  const two = twoGatewaysOnOneRedis(
    productionSettings([
      { key: FULL, scopes: ['certificates:read', 'certificates:write'] },
      { key: EXAMPLE_SITE_ONLY, scopes: ['certificates:read'], sites: [DEMO.sites.example] },
      { key: WRITE_ONLY, scopes: ['certificates:write'] },
    ]),
    { resetEachTest: false },
  );
  const clients: Client[] = [];
  const connect = (gateway: TestGateway, key?: string) => {
    const client = clientOf(gateway, key);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  it('delivers an event published on one instance to a subscriber connected to the other', async () => {
    const edge = certificateFrom(two.first, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    const subscription = subscribe<Received>(connect(two.second, FULL), print(CertificateEventsDocument));
    await subscription.listening(two.first, edge);

    await two.first.events.publish(expiring(edge, 14));
    const event = await subscription.next();

    expect(event).toMatchObject({ type: 'certificate.expiring', threshold: 14, certificate: { id: edge.id, provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example } });
    expect(new Date(event.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(event.certificate.daysUntilExpiry).toEqual(expect.any(Number));
  });

  it("never tells a key limited to one site of another site's certificates", async () => {
    const mine = certificateFrom(two.first, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    // The demo holds certificates on one site only: the same certificate, as if the CNAME site held it.
    const other: InventoryEntry = { ...mine, certificate: { ...mine.certificate, ref: { ...(mine.certificate.ref as EdgeRef), siteId: DEMO.sites.cname } } };
    const subscription = subscribe<Received>(connect(two.first, EXAMPLE_SITE_ONLY), print(CertificateEventsDocument));
    await subscription.listening(two.second, mine);

    // Published in this order on one connection, so heard in this order: the first heard must be the last.
    await two.second.events.publish(expiring(other, 30));
    await two.second.events.publish(expiring(mine, 7));

    expect(await subscription.next()).toMatchObject({ threshold: 7, certificate: { id: mine.id } });
  });

  it('tells a subscriber of an applied certificate once its domain validation completes and a sweep sees it issued', async () => {
    const edge = certificateFrom(two.first, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    const subscription = subscribe<Received>(connect(two.second, FULL), print(CertificateEventsDocument));
    await subscription.listening(two.first, edge);
    const applied = await two.first.execute(
      untyped('mutation Apply($input: ApplyCertificateInput!) { applyCertificate(input: $input) { applications { certificateId } } }'),
      { input: { siteId: DEMO.sites.example, domains: ['subscribed-issued.example.com'] } },
      bearer(FULL),
    );
    const id = (applied.data as { applyCertificate: { applications: Array<{ certificateId: string }> } }).applyCertificate.applications[0]?.certificateId;
    await two.emulator.admin('POST', 'validations/complete', { siteId: DEMO.sites.example });

    const began = Date.now();
    await two.first.sweepNow();
    await two.first.inventory.swept(began);
    let event = await subscription.next();
    while (event.certificate.id !== id) event = await subscription.next();

    expect(event).toMatchObject({ type: 'certificate.issued', certificate: { id, status: 'ISSUED' } });
  });

  it('applies the filter to every event', async () => {
    const edge = certificateFrom(two.first, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    const server = certificateFrom(two.first, Sources.region({ accountId: 'default', regionId: 'cn-shanghai' }));
    const subscription = subscribe<Received>(connect(two.first, FULL), print(CertificateEventsDocument), { filter: { providers: ['SLB'] } });
    await subscription.listening(two.first, server);

    await two.first.events.publish(expiring(edge, 30));
    await two.first.events.publish(expiring(server, 14));

    expect(await subscription.next()).toMatchObject({ threshold: 14, certificate: { id: server.id, provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-shanghai', siteId: null } });
  });

  it('reads the PEM an event leaves out through the loaders, when the subscriber asks for it', async () => {
    const edge = certificateFrom(two.first, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    const subscription = subscribe<{ type: string; certificate: { id: string; certificatePem: string | null } }>(connect(two.second, FULL), print(CertificateEventsWithPemDocument));
    await subscription.listening(two.second, edge);

    await two.first.events.publish(expiring(edge, 1));

    expect(await subscription.next()).toEqual({ type: 'certificate.expiring', certificate: { id: edge.id, certificatePem: expect.stringContaining('-----BEGIN CERTIFICATE-----') } });
  });

  it('closes a connection without a key 4401, with an unknown key 4401, and with a key that may not read 4403', async () => {
    expect(await refusal(connect(two.first))).toMatchObject({ code: 4401 });
    expect(await refusal(connect(two.first, 'not-a-key-of-this-gateway-0123'))).toMatchObject({ code: 4401, reason: expect.stringContaining('API key') });
    expect(await refusal(connect(two.first, WRITE_ONLY))).toMatchObject({ code: 4403, reason: expect.stringContaining('certificates:read') });
  });

  it('refuses a subscription over HTTP POST with a coded error naming the websocket', async () => {
    const answer = await two.first.execute(CertificateEventsDocument, {}, bearer(FULL));

    expect(answer.data ?? null).toBeNull();
    const error = onlyError(answer);
    expect(error.extensions).toEqual(gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400));
    expect(error.message).toMatch(/websocket/);
  });

  it('refuses over the websocket a document over the limits, and a query, with the same coded errors as HTTP', async () => {
    const client = connect(two.first, FULL);
    const aliases = Array.from({ length: 60 }, (_, index) => `a${index}: type`).join(' ');
    const errorsOf = async (query: string) => {
      try {
        await client.iterate({ query }).next();
      } catch (errors) {
        return errors as Array<{ message: string; extensions: Record<string, unknown> }>;
      }
      throw new Error('The operation was accepted.');
    };

    const overLimit = await errorsOf(`subscription { certificateEvents { ${aliases} } }`);
    const overHttp = onlyError(await two.first.execute(untyped(`query { sites { ${aliases.replaceAll('type', 'id')} } }`), {}, bearer(FULL)));
    const query = await errorsOf('{ sites { id } }');
    const invalid = await errorsOf('subscription { certificateEvents { noSuchField } }');

    expect(overLimit).toEqual([{ message: expect.stringContaining('over the limit of 50'), extensions: gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400) }]);
    expect(overHttp.extensions).toEqual(overLimit[0]?.extensions);
    expect(query).toEqual([{ message: expect.stringContaining('sent over HTTP'), extensions: gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400) }]);
    expect(invalid).toEqual([expect.objectContaining({ message: expect.stringContaining('noSuchField'), extensions: gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400) })]);
  });

  it('refuses a websocket on any path but /graphql', async () => {
    const socket = new WebSocket(`${two.first.url.replace(/^http/, 'ws')}/elsewhere`, 'graphql-transport-ws');
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      socket.on('open', () => resolve(101));
      socket.on('error', () => resolve(undefined));
    });
    socket.terminate();

    expect(status).toBe(404);
  });
});

describe('certificate events on one instance without Redis', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  it('delivers events in process, and a stopping gateway closes its subscribers going away (1001)', async () => {
    const gateway = await startTestGateway(emulator);
    const client = clientOf(gateway);
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    const edge = certificateFrom(gateway, Sources.site({ accountId: 'default', siteId: DEMO.sites.example }));
    const subscription = subscribe<Received>(client, print(CertificateEventsDocument));
    await subscription.listening(gateway, edge);

    await gateway.events.publish(expiring(edge, 30));
    expect(await subscription.next()).toMatchObject({ threshold: 30, certificate: { id: edge.id } });

    await gateway.stop();
    expect(await closed).toBe(1001);
    await client.dispose();
  });
});
