import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CachePolicy, DEFAULT_POLICY } from './cache/cache-policy';
import { CacheKeys } from './cache/cache-keys';
import { CertificateCache } from './cache/certificate-cache';
import { GuardedStore } from './cache/guarded-store';
import { LocalInvalidationBus, type InvalidationBus } from './cache/invalidation-bus';
import { LocalTier } from './cache/local-tier';
import { type KeyValueStore } from './cache/key-value-store';
import { MemoryStore } from './cache/memory-store';
import { ReadThroughCache } from './cache/read-through-cache';
import { RedisStore } from './cache/redis-store';
import { type GatewayConfig } from './config';
import { CertificateService } from './domain/certificate-service';
import { DeployService } from './domain/deploy-service';
import { encodeCertificateId } from './domain/global-id';
import { SiteMaintenance } from './domain/site-maintenance';
import { startEmulator, type RunningEmulator } from './emulator/emulator';
import { RequestLoaders } from './loaders/request-loaders';
import { DEFAULT_RETRY, UpstreamResilience } from './providers/alibaba/resilience';
import { RpcClient } from './providers/alibaba/rpc-client';
import { ConfiguredAccounts } from './accounts/configured-accounts';
import { ChainCredentials, StaticCredentials, type CredentialSource } from './accounts/credentials';
import { EsaCloudProvider } from './providers/esa/esa-provider';
import { StsClient, STS_VERSION } from './providers/sts/sts-client';
import { SlbCloudProvider } from './providers/slb/slb-provider';
import { buildGatewaySchema } from './schema/build-schema';
import { createApollo } from './server/apollo';
import { Access } from './domain/access';
import { ApiKeyRing } from './server/auth/api-keys';
import { createHttpServer, type Readiness } from './server/http-server';
import { DocumentReader } from './server/limits/document-reader';
import { RateLimiter } from './server/limits/rate-limiter';
import { createLogger, type Logger } from './server/logger';
import { GatewayMetrics } from './server/metrics';
import { currentRequestScope } from './server/request-scope';
import { AnswerCache } from './server/answers/answer-cache';
import { RequestClock } from './domain/request-clock';
import { Inventory } from './inventory/inventory';
import { InventoryReader } from './inventory/inventory-service';
import { MemoryInventoryStore } from './inventory/inventory-store';
import { InventorySweeper } from './inventory/inventory-sweep';
import { RedisInventoryStore } from './inventory/redis-inventory-store';
import { BullSweepSchedule, LocalSweepSchedule } from './inventory/sweep-schedule';
import { parseSource, Sources } from './inventory/sources';
import { type ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { authenticate } from './server/pipeline/authenticate';
import { checkOperations } from './server/pipeline/operations';
import { execute } from './server/pipeline/execute';
import { type Stage } from './server/pipeline/exchange';
import { StoreExclusiveRuns } from './cache/exclusive-runs';
import { persistedQueries, registerPersistedQueries } from './server/pipeline/persisted-queries';
import { rateLimit } from './server/pipeline/rate-limit';
import { readBody } from './server/pipeline/read-body';
import { readOperations } from './server/pipeline/read-operations';
import { replayAnswer } from './server/pipeline/replay-answer';
import { startTracing } from './telemetry/tracing';
import { LocalEventBus, RedisEventBus, type EventBus } from './radar/event-bus';
import { Radar } from './radar/radar';
import { MemoryRadarMarks, RedisRadarMarks } from './radar/radar-marks';
import { type DeliveryOutcome } from './radar/webhook-delivery';
import { LocalWebhookDispatcher, QueuedWebhookDispatcher, type DeadLetter } from './radar/webhook-queue';
import { type GatewayContext } from './schema/context';
import { type AnswerRecorder } from './server/answers/answer-recorder';
import { attachSubscriptions } from './server/subscriptions/websocket-server';
import { errorFormatter } from './server/apollo';

export interface RunningGateway {
  /** `http://host:port` */
  url: string;
  graphqlUrl: string;
  config: Readonly<GatewayConfig>;
  /** The embedded emulator, in local mode. */
  emulator?: RunningEmulator;
  metrics: GatewayMetrics;
  /** The shared cache's store guard (for readiness and tests). */
  cacheStore: GuardedStore;
  /** This instance's view of the inventory. */
  inventory: Inventory;
  /** Certificate events, heard by every instance's subscribers. */
  events: EventBus;
  /** Runs a sweep now, behind any that runs; resolves once it has finished. */
  sweepNow(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Where logs go (default stdout). */
  logger?: Logger;
  /** The expiry radar's clock (epoch ms); tests move it forward to make certificates cross thresholds. */
  now?: () => number;
}

/** How long a shutdown waits for in-flight requests: one upstream deadline and then some. */
const DRAIN_TIMEOUT_MS = 15_000;

/** The upstream target after local mode has started its emulator. */
interface Upstream {
  esaEndpoint: string;
  slbEndpoint: string;
  stsEndpoint: string;
  protocol: 'http' | 'https';
  /** The default account's credentials, and those that assume a role account's role without its own key. */
  credentials: CredentialSource;
}

/**
 * The composition root: upstream (the real clouds, or in local mode an emulator started here),
 * adapters, schema, Apollo and the HTTP server. Returns once the gateway listens.
 */
export async function startGateway(config: Readonly<GatewayConfig>, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const tracing = startTracing(config.tracing);
  let emulator: RunningEmulator | undefined;
  let upstream: Upstream;
  if (config.mode === 'local') {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', log: () => undefined });
    const [accessKeyId, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
    const credentials = new StaticCredentials({ accessKeyId, accessKeySecret });
    upstream = { esaEndpoint: emulator.endpoint, slbEndpoint: emulator.endpoint, stsEndpoint: emulator.endpoint, protocol: 'http', credentials };
  } else {
    // The ALIBABA_CLOUD_* keys when set, else Alibaba's credentials chain (profile file, ECS RAM role, OIDC/RRSA).
    const credentials = config.credentials ? new StaticCredentials(config.credentials) : new ChainCredentials();
    upstream = { esaEndpoint: config.esaEndpoint, slbEndpoint: config.slbEndpoint, stsEndpoint: config.stsEndpoint, protocol: config.protocol, credentials };
  }

  const metrics = new GatewayMetrics();
  // Flow control is per account at the clouds: each account gets its own rate limits and breakers.
  const resilience = (product: 'ESA' | 'SLB' | 'STS', ratePerSecond: number) => {
    metrics.upstreamBreakerOpen(product, false);
    const breaker = { failures: config.upstreamBreakerFailures, openMs: config.upstreamBreakerOpenMs };
    return new UpstreamResilience(product, { ratePerSecond, breaker, retry: DEFAULT_RETRY }, {
      retried: (action) => metrics.upstreamRetried(product, action),
      breakerChanged: (open) => {
        metrics.upstreamBreakerOpen(product, open);
        if (open) logger.warn({ product }, `${product} circuit breaker open: calls are refused until a trial call succeeds`);
        else logger.info({ product }, `${product} circuit breaker closed`);
      },
    }, tracing);
  };
  const rates = { ESA: config.upstreamEsaRatePerSecond, SLB: config.upstreamSlbRatePerSecond, STS: config.upstreamSlbRatePerSecond };
  const client = (product: 'ESA' | 'SLB' | 'STS', version: string, endpoint: string, credentials: CredentialSource) =>
    new RpcClient({
      product,
      version,
      endpoint,
      protocol: upstream.protocol,
      credentials,
      timeoutMs: config.upstreamTimeoutMs,
      resilience: resilience(product, rates[product]),
      tracing,
      observe: (action, outcome, seconds, requestId) => {
        metrics.observeUpstream(product, action, outcome, seconds);
        currentRequestScope()?.upstream.push({ product, action, outcome, ms: Math.round(seconds * 1000), ...(requestId ? { requestId } : {}) });
      },
    });
  const accounts = ConfiguredAccounts.wire(
    config.accounts,
    {
      defaultCredentials: upstream.credentials,
      sts: (credentials) => new StsClient(client('STS', STS_VERSION, upstream.stsEndpoint, credentials)),
      products: ({ id, credentials, esaEndpoint }) => ({
        esa: new EsaCloudProvider(client('ESA', '2024-09-10', esaEndpoint ?? upstream.esaEndpoint, credentials), { accountId: id, concurrency: config.upstreamConcurrency }),
        slb: new SlbCloudProvider(client('SLB', '2014-05-15', upstream.slbEndpoint, credentials), { accountId: id, concurrency: config.upstreamConcurrency }),
      }),
    },
    config.slbRegions,
  );

  const redis = config.redisUrl ? new RedisStore({ url: config.redisUrl, cluster: config.redisCluster, commandTimeoutMs: config.cacheTimeoutMs }) : undefined;
  const store: KeyValueStore = redis ?? new MemoryStore();
  // Copies in process memory are dropped on every instance when any of them changes a key.
  const bus: InvalidationBus = redis
    ? redis.invalidationBus({
        channel: CacheKeys.invalidations,
        changed: (live) => {
          metrics.localCachesLive(live);
          if (live) logger.info('hearing invalidations again: certificates and answers are kept in memory');
          else logger.warn('invalidations cannot be heard: nothing is kept in memory until they can');
        },
      })
    : new LocalInvalidationBus();
  metrics.localCachesLive(bus.live);
  if (!config.redisUrl) logger.warn('REDIS_URL is not set: the cache is in-process, not shared with other instances');
  // Commands are not queued while disconnected (they fail fast, as misses), so give the connection a
  // moment before serving; a Redis that is down does not stop the gateway from starting.
  else if (!(await store.ready(2_000))) logger.warn('Redis is not reachable yet: serving without the shared cache until it is');
  const cacheObserver = metrics.cacheObserver((message, fields) => logger.warn(fields, message));
  const cacheStore = new GuardedStore(store, { timeoutMs: config.cacheTimeoutMs, failureThreshold: 3, openMs: 5_000 }, cacheObserver);
  const policy = new CachePolicy({ ...DEFAULT_POLICY, maxTtlMs: config.cacheTtlSeconds * 1000, pendingTtlMs: config.cachePendingTtlMs });
  // A lease outlives one upstream call; waiters give the holder that long before fetching themselves.
  const readThrough = new ReadThroughCache(
    cacheStore,
    policy,
    cacheObserver,
    { leaseMs: config.upstreamTimeoutMs + 1_000, waitMs: config.upstreamTimeoutMs + 500, pollMs: 25, tracing },
    Date.now,
    {
      bus,
      ...(config.localCacheEntries > 0 ? { local: new LocalTier(bus, { maxEntries: config.localCacheEntries, maxAgeMs: config.localCacheMaxAgeMs }) } : {}),
    },
  );
  // Deploying makes each copy under one of these leases; one outlives the list read and the upload it covers.
  const copyLeaseMs = 3 * config.upstreamTimeoutMs + 1_000;
  const copies = new StoreExclusiveRuns(cacheStore, { leaseMs: copyLeaseMs, waitMs: copyLeaseMs, pollMs: 50 });
  const answers =
    config.responseCacheBytes > 0
      ? new AnswerCache(bus, { maxBytes: config.responseCacheBytes, maxEntryBytes: 256 * 1024, maxAgeMs: config.localCacheMaxAgeMs })
      : undefined;
  const cache = new CertificateCache(readThrough, policy);

  // The inventory: the shared index (Redis, or this process), this instance's view of it, and the sweep.
  const inventory = new Inventory(config.redisUrl ? new RedisInventoryStore({ url: config.redisUrl, cluster: config.redisCluster, commandTimeoutMs: config.cacheTimeoutMs }) : new MemoryInventoryStore());
  // Answers kept from the inventory are dropped on every change it hears.
  if (answers) inventory.onChange(() => answers.forget([INVENTORY_ANSWERS]));
  await inventory.start();
  metrics.watchInventory(inventory, config.expiringDays);

  const bullClusters = new Set<Cluster>();
  // The expiry radar: events of what sweeps and mutations find, to subscribers (the bus) and webhooks (a queue).
  const redisOptions = config.redisUrl ? { url: config.redisUrl, cluster: config.redisCluster, commandTimeoutMs: config.cacheTimeoutMs } : undefined;
  const events: EventBus = redisOptions ? new RedisEventBus(redisOptions) : new LocalEventBus();
  const dispatchOptions = {
    targets: config.webhooks,
    allowPrivate: config.webhookAllowPrivate,
    retryBaseMs: config.webhookRetryBaseMs,
    observe: (outcome: DeliveryOutcome) => metrics.webhookDelivery(outcome),
    dead: (letter: DeadLetter) => logger.warn({ webhook: letter }, 'a webhook delivery was given up on'),
    ...(tracing ? { traced: <T>(name: string, work: () => Promise<T>) => tracing.background(name, work) } : {}),
  };
  const webhooks =
    config.webhooks.length === 0
      ? undefined
      : config.redisUrl
        ? new QueuedWebhookDispatcher(bullConnection(config.redisUrl, config.redisCluster, bullClusters), dispatchOptions)
        : new LocalWebhookDispatcher(dispatchOptions);
  const marks = redisOptions ? new RedisRadarMarks(redisOptions) : new MemoryRadarMarks();
  const radar = new Radar({
    inventory,
    marks,
    bus: events,
    ...(webhooks ? { webhooks } : {}),
    thresholds: config.expiryThresholdsDays,
    expiringDays: config.expiringDays,
    firstAccount: accounts.first,
    now: options.now ?? Date.now,
    failed: (error) => logger.warn({ error: error.message }, 'certificate events could not be sent; they are found again by the next detection'),
  });
  const inventoryUpdates = radar.updates();
  const sweeper = new InventorySweeper(accounts.list, inventory, {
    concurrency: config.upstreamConcurrency,
    sourceFailed: (source) => {
      const { accountId, label } = parseSource(source);
      metrics.sweepFailed(accountId, label);
    },
    swept: (deltas) => radar.afterSweep(deltas),
  });
  const scheduleOptions = {
    intervalMs: config.inventoryRefreshSeconds * 1000,
    sweep: () => (tracing ? tracing.background('inventory sweep', () => sweeper.sweep()) : sweeper.sweep()),
    failed: (error: Error) => logger.warn({ error: error.message }, 'inventory sweep failed'),
  };
  const schedule = config.redisUrl ? new BullSweepSchedule(bullConnection(config.redisUrl, config.redisCluster, bullClusters), scheduleOptions) : new LocalSweepSchedule(scheduleOptions);
  await schedule.start().catch((error: Error) => logger.warn({ error: error.message }, 'inventory sweeps could not be scheduled: the index is kept by mutations only until they can'));
  // An account an index already in use has never read (just added to ACCOUNTS) is swept now, not at the
  // next interval. An empty index is a new schedule, whose first sweep runs at once anyway.
  const indexInUse = inventory.sourceNames().length > 0;
  if (indexInUse && accounts.ids.some((id) => inventory.source(Sources.sites(id)) === undefined)) void schedule.runNow().catch(() => undefined);

  // One bus per instance: what is published on any instance reaches the subscribers of all.
  /** What a request's resolvers get (and each event a subscription delivers): its own loaders and clock, for the caller's access. */
  const requestContext = (access: Access, recorder?: AnswerRecorder): GatewayContext => {
    const reader = new RequestLoaders(accounts, cache, recorder);
    const certificates = new CertificateService(reader, accounts, access, {
      inventory: inventoryUpdates,
      siteAccounts: (siteId) => inventory.accountsOfSite(siteId),
      // As every instance knows them: the index caught up with every change written before.
      usagesOf: async (ref) => {
        await inventory.caughtUp();
        return inventory.view.get(encodeCertificateId(ref))?.certificate.usages;
      },
    });
    const clock = new RequestClock(new Date());
    const readFromInventory = recorder ? () => recorder.fresh(INVENTORY_ANSWERS, Infinity) : undefined;
    return {
      certificates,
      deploy: new DeployService(certificates, accounts, access, { inventory: inventoryUpdates, exclusive: copies }),
      maintenance: new SiteMaintenance(certificates, accounts, config.expiringDays),
      access,
      clock,
      inventory: new InventoryReader(inventory, access, clock, {
        expiringDays: config.expiringDays,
        accounts: accounts.list,
        ...(readFromInventory ? { readFrom: readFromInventory } : {}),
      }),
      expiringDays: config.expiringDays,
      events,
    };
  };

  const schema = await buildGatewaySchema();
  const apollo = createApollo(schema, {
    logger,
    production: config.production,
    introspection: config.introspection,
    sandbox: !config.production,
  });
  await apollo.start();
  const keys = config.apiKeys.length ? new ApiKeyRing(config.apiKeys) : undefined;
  const limiter = keys ? new RateLimiter(cacheStore, config.rateLimitPerMinute) : undefined;
  const documents = new DocumentReader();
  // A request to /graphql, top to bottom; each stage either answers (and the request ends) or hands it on.
  const stages: Stage[] = [
    readBody(config.maxBodyBytes),
    ...(keys && limiter ? [authenticate(keys), rateLimit(limiter)] : []),
    ...(answers ? [replayAnswer(answers, metrics, tracing)] : []),
    readOperations(config.maxBatch),
    persistedQueries(cacheStore),
    checkOperations({ reader: documents, limits: config.limits, access: (exchange) => exchange.caller?.access }),
    execute({
      apollo,
      metrics,
      ...(answers ? { answers } : {}),
      tracing,
      checked: (exchange) => registerPersistedQueries(cacheStore, exchange),
      context: async (exchange) => requestContext(exchange.caller?.access ?? Access.unrestricted(), exchange.recorder),
    }),
  ];
  const http = createHttpServer({
    stages,
    metrics,
    logger,
    tracing,
    readiness: () => readiness(upstream.protocol, readinessTargets(upstream, config), config.upstreamTimeoutMs, config.redisUrl ? cacheStore : undefined),
  });
  // Subscriptions: graphql-ws on the same /graphql, with the same keys, limits and contexts.
  const subscriptions = attachSubscriptions(http.server, {
    schema,
    ...(keys ? { keys } : {}),
    ...(limiter ? { limiter } : {}),
    reader: documents,
    limits: config.limits,
    maxMessageBytes: config.maxBodyBytes,
    context: (access) => requestContext(access),
    formatError: errorFormatter(logger, config.production),
    logger,
  });
  // `once` rejects on 'error' (a port in use) before 'listening'.
  await once(http.server.listen(config.port, config.host), 'listening');
  const address = http.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    config,
    ...(emulator ? { emulator } : {}),
    metrics,
    cacheStore,
    inventory,
    events,
    sweepNow: () => schedule.runNow(),
    stop: async () => {
      // Stop accepting, let in-flight requests answer, then close what they used.
      // Open websockets would hold the server open: they are closed while requests drain.
      const draining = http.drain(DRAIN_TIMEOUT_MS);
      await subscriptions.close();
      const { abandoned } = await draining;
      if (abandoned > 0) logger.warn({ abandoned }, 'requests still running at shutdown were cut off');
      await apollo.stop();
      await schedule.close();
      await webhooks?.close();
      for (const client of bullClusters) {
        bullClusters.delete(client);
        client.disconnect();
      }
      await marks.close();
      await inventory.close();
      await bus.close();
      await events.close();
      await store.close();
      await emulator?.stop();
      await tracing?.shutdown();
    },
  };
}

/** What answers made from the inventory depend on: dropped from the answer cache when it changes. */
const INVENTORY_ANSWERS = 'cg:v1:{inv}:entries';

/**
 * BullMQ's own connection settings for the shared Redis (it keeps its connections, with the retries it
 * needs). On a cluster it takes a client, which it does not close: `opened` keeps it for the shutdown.
 */
function bullConnection(url: string, cluster: boolean, opened: Set<Cluster>): ConnectionOptions {
  const parsed = new URL(url);
  if (cluster) {
    const client = new Cluster([{ host: parsed.hostname, port: Number(parsed.port || 6379) }], { redisOptions: { maxRetriesPerRequest: null } });
    client.on('error', () => undefined);
    opened.add(client);
    return client as unknown as ConnectionOptions;
  }
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * The endpoints readiness probes: ESA and SLB; an account's own ESA endpoint (`esa <account>`) when it
 * differs; STS when an account signs through a role.
 */
function readinessTargets(upstream: Upstream, config: Readonly<GatewayConfig>): Record<string, string> {
  const targets: Record<string, string> = { esa: upstream.esaEndpoint, slb: upstream.slbEndpoint };
  for (const account of config.accounts) {
    if (account.esaEndpoint && account.esaEndpoint !== upstream.esaEndpoint) targets[`esa ${account.id}`] = account.esaEndpoint;
  }
  if (config.accounts.some((account) => account.role)) targets.sts = upstream.stsEndpoint;
  return targets;
}

/** Ready when Redis (if configured) answers PING and each upstream endpoint answers HTTP at all. */
async function readiness(protocol: 'http' | 'https', targets: Record<string, string>, timeoutMs: number, redis?: GuardedStore): Promise<Readiness> {
  const entries = await Promise.all([
    ...Object.entries(targets).map(async ([name, endpoint]) => [name, await probe(protocol, endpoint, Math.min(timeoutMs, 2000))] as const),
    ...(redis ? [redis.store.ping().then(() => ['redis', 'ok'] as const, (error: Error) => ['redis', error.message] as const)] : []),
  ]);
  const checks = Object.fromEntries(entries);
  return { ready: entries.every(([, result]) => result === 'ok'), checks };
}

function probe(protocol: 'http' | 'https', endpoint: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const send = protocol === 'https' ? httpsRequest : httpRequest;
    const outgoing = send(`${protocol}://${endpoint}/`, { method: 'GET', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve('ok');
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error) => resolve(error.message));
    outgoing.end();
  });
}
