/** The gateway's settings (README.md, Settings), read once from the environment into a frozen object. */
import { readFileSync } from 'node:fs';
import { parseAccounts, type AccountSpec } from './accounts/account-settings';
import { parseApiKeys, type ApiKeySpec } from './server/auth/api-keys';
import { DEFAULT_LIMITS, type OperationLimits } from './server/limits/operation-cost';
import { parseThresholds, parseWebhooks, type WebhookTarget } from './radar/webhook-settings';
import { parseTracingSettings, type TracingSettings } from './telemetry/tracing-settings';

export interface GatewayConfig {
  port: number;
  host: string;
  /** `local`: the embedded emulator; `cloud`: the real endpoints. */
  mode: 'local' | 'cloud';
  credentials?: { accessKeyId: string; accessKeySecret: string };
  /** ACCOUNTS: the accounts read; empty: one, `default`, with the default credentials. */
  accounts: AccountSpec[];
  esaEndpoint: string;
  slbEndpoint: string;
  stsEndpoint: string;
  protocol: 'http' | 'https';
  redisUrl?: string;
  /** The URL is a Redis Cluster seed node. */
  redisCluster: boolean;
  cacheTtlSeconds: number;
  /** Longest wait for one cache store operation before it counts as a miss. */
  cacheTimeoutMs: number;
  /** Freshness of transitional entries (a certificate being issued), so the change shows promptly. */
  cachePendingTtlMs: number;
  /** Decoded entries kept in process memory in front of the shared cache (0: none). */
  localCacheEntries: number;
  /** Longest anything is served from process memory without asking the shared cache. */
  localCacheMaxAgeMs: number;
  /** Memory for whole answers to repeated queries, in bytes (0: none). */
  responseCacheBytes: number;
  /** The whole of one upstream call, retries and waits included. */
  upstreamTimeoutMs: number;
  /** Calls per second sent to each product at most, so the account stays under the clouds' flow control. */
  upstreamEsaRatePerSecond: number;
  upstreamSlbRatePerSecond: number;
  /** Consecutive retryable failures that open a product's circuit breaker. */
  upstreamBreakerFailures: number;
  /** How long an open breaker refuses calls before it lets a trial call through. */
  upstreamBreakerOpenMs: number;
  /** Parallel calls per batch toward ESA, which has no batch read. */
  upstreamConcurrency: number;
  production: boolean;
  introspection: boolean;
  logLevel: string;
  maxBodyBytes: number;
  /** Callers' keys; empty with auth off. */
  apiKeys: ApiKeySpec[];
  authDisabled: boolean;
  /** Requests per minute each key may make, shared across instances through Redis. */
  rateLimitPerMinute: number;
  limits: OperationLimits;
  /** Most operations in one batched HTTP request. */
  maxBatch: number;
  /** Seconds between inventory sweeps (the first runs at start). */
  inventoryRefreshSeconds: number;
  /** Days left under which a certificate is EXPIRING. */
  expiringDays: number;
  /** SLB regions the default account's inventory reads (SLB_REGIONS); absent: every region it has. */
  slbRegions?: string[];
  /** Where certificate events are delivered (Standard Webhooks). */
  webhooks: WebhookTarget[];
  /** Loopback, private and link-local webhook targets are refused unless this is set. */
  webhookAllowPrivate: boolean;
  /** The first retry's wait of a failed delivery; each next doubles, up to an hour, for at least a day. */
  webhookRetryBaseMs: number;
  /** Days before notAfter at which `certificate.expiring` is announced, largest first. */
  expiryThresholdsDays: number[];
  /** OpenTelemetry traces (the OTEL_* variables); absent: tracing off. */
  tracing?: TracingSettings;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses settings; a bad value throws ConfigError with one line that names the variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Readonly<GatewayConfig> {
  const get = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
    return value;
  };

  const flag = (name: string, fallback: boolean) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}".`);
    return raw === 'true';
  };

  const accessKeyId = get('ALIBABA_CLOUD_ACCESS_KEY_ID');
  const accessKeySecret = get('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    throw new ConfigError('ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET go together: set both or neither.');
  }
  const accounts = readJsonSetting('ACCOUNTS', get('ACCOUNTS'), get('ACCOUNTS_FILE'), parseAccounts);
  const mode = get('GATEWAY_MODE') ?? (accessKeyId || accounts.length ? 'cloud' : 'local');
  if (mode !== 'local' && mode !== 'cloud') throw new ConfigError(`GATEWAY_MODE must be local or cloud, got "${mode}".`);
  // In cloud mode without keys, the default credentials come from Alibaba's chain (profile file, ECS RAM role, OIDC/RRSA).
  const protocol = get('ALIBABA_CLOUD_PROTOCOL') ?? 'https';
  if (protocol !== 'http' && protocol !== 'https') throw new ConfigError(`ALIBABA_CLOUD_PROTOCOL must be http or https, got "${protocol}".`);
  const endpoint = (name: string, fallback: string) => {
    const value = get(name) ?? fallback;
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(value)) throw new ConfigError(`${name} must be host[:port], got "${value}".`);
    return value;
  };
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://.');
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`);
  const production = get('NODE_ENV') === 'production';

  const apiKeys = readJsonSetting('API_KEYS', get('API_KEYS'), get('API_KEYS_FILE'), parseApiKeys);
  const authDisabled = flag('AUTH_DISABLED', false);
  // Both at once is a leftover (docker-compose starts with AUTH_DISABLED=true): running open while
  // keys are configured would let every caller in unnoticed, so neither is guessed.
  if (authDisabled && apiKeys.length > 0) {
    throw new ConfigError('AUTH_DISABLED=true and API_KEYS/API_KEYS_FILE contradict each other: remove AUTH_DISABLED to require the keys.');
  }
  // A key allowed an account the gateway does not read would be refused everything: a typo, said at start.
  const accountIds = accounts.length ? accounts.map((account) => account.id) : ['default'];
  const stranger = apiKeys.findIndex((key) => key.accounts?.some((id) => !accountIds.includes(id)));
  if (stranger >= 0) {
    throw new ConfigError(`API_KEYS[${stranger}].accounts names an account that is not configured (accounts: ${accountIds.join(', ')}).`);
  }
  if (mode === 'cloud' && apiKeys.length === 0 && !authDisabled) {
    throw new ConfigError('In cloud mode the gateway needs callers\' keys: set API_KEYS or API_KEYS_FILE, or AUTH_DISABLED=true to run without them.');
  }

  const tracing = parseTracingSettings(get);
  if (typeof tracing === 'string') throw new ConfigError(tracing);

  return Object.freeze({
    port: integer('PORT', 4000, 0, 65_535),
    host: get('HOST') ?? '127.0.0.1',
    mode,
    ...(accessKeyId && accessKeySecret ? { credentials: { accessKeyId, accessKeySecret } } : {}),
    accounts,
    esaEndpoint: endpoint('ESA_ENDPOINT', 'esa.cn-hangzhou.aliyuncs.com'),
    slbEndpoint: endpoint('SLB_ENDPOINT', 'slb.aliyuncs.com'),
    stsEndpoint: endpoint('STS_ENDPOINT', 'sts.aliyuncs.com'),
    protocol,
    ...(redisUrl ? { redisUrl } : {}),
    redisCluster: flag('REDIS_CLUSTER', false),
    cacheTtlSeconds: integer('CACHE_TTL_SECONDS', 300, 1, 86_400),
    cacheTimeoutMs: integer('CACHE_TIMEOUT_MS', 250, 10, 10_000),
    cachePendingTtlMs: 5_000,
    localCacheEntries: integer('CACHE_LOCAL_ENTRIES', 10_000, 0, 1_000_000),
    localCacheMaxAgeMs: integer('CACHE_LOCAL_MAX_AGE_SECONDS', 60, 1, 3_600) * 1000,
    responseCacheBytes: integer('RESPONSE_CACHE_MB', 32, 0, 4_096) * 1024 * 1024,
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', 5000, 100, 120_000),
    // Neither product's operation pages state a limit for these actions. ESA's stated per-account
    // limits elsewhere are 50 calls/s; nothing is stated for SLB, so it gets a cautious 20.
    upstreamEsaRatePerSecond: integer('UPSTREAM_ESA_RATE_PER_SECOND', 50, 1, 10_000),
    upstreamSlbRatePerSecond: integer('UPSTREAM_SLB_RATE_PER_SECOND', 20, 1, 10_000),
    upstreamBreakerFailures: 5,
    upstreamBreakerOpenMs: 10_000,
    upstreamConcurrency: integer('UPSTREAM_CONCURRENCY', 8, 1, 64),
    production,
    introspection: flag('INTROSPECTION', !production),
    logLevel,
    maxBodyBytes: 1024 * 1024,
    apiKeys,
    authDisabled,
    rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    limits: {
      maxCost: integer('QUERY_MAX_COST', DEFAULT_LIMITS.maxCost, 10, 10_000_000),
      maxDepth: integer('QUERY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 50),
      maxAliases: integer('QUERY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 10_000),
      maxListArgument: integer('QUERY_MAX_IDS', DEFAULT_LIMITS.maxListArgument, 1, 100_000),
      maxFields: integer('QUERY_MAX_FIELDS', DEFAULT_LIMITS.maxFields, 10, 1_000_000),
      maxDirectives: integer('QUERY_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 0, 10_000),
    },
    maxBatch: integer('MAX_BATCH_OPERATIONS', 10, 1, 1_000),
    inventoryRefreshSeconds: integer('INVENTORY_REFRESH_SECONDS', 300, 5, 86_400),
    expiringDays: integer('EXPIRING_DAYS', 30, 1, 365),
    ...(get('SLB_REGIONS') === undefined ? {} : { slbRegions: regionList(get('SLB_REGIONS') as string) }),
    webhooks: readJsonSetting('WEBHOOKS', get('WEBHOOKS'), get('WEBHOOKS_FILE'), parseWebhooks),
    webhookAllowPrivate: flag('WEBHOOK_ALLOW_PRIVATE', mode === 'local'),
    webhookRetryBaseMs: integer('WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000),
    expiryThresholdsDays: thresholds(get('EXPIRY_THRESHOLDS_DAYS') ?? '30,14,7,1'),
    ...(tracing ? { tracing } : {}),
  });
}

function thresholds(text: string): number[] {
  const parsed = parseThresholds(text);
  if (typeof parsed === 'string') throw new ConfigError(parsed);
  return parsed;
}

function regionList(text: string): string[] {
  const regions = text.split(',').map((region) => region.trim()).filter(Boolean);
  if (regions.length === 0 || !regions.every((region) => /^[a-z]{2,}(-[a-z0-9]+){1,4}$/.test(region))) {
    throw new ConfigError(`SLB_REGIONS must be region ids separated by commas (cn-hangzhou,cn-shanghai), got "${text}".`);
  }
  return [...new Set(regions)];
}

/**
 * A JSON list given inline (`NAME`) or in a file (`NAME_FILE`), never both, parsed by `parse` (which
 * answers the one line that says what is wrong); empty when neither is set.
 */
function readJsonSetting<T>(name: string, inline: string | undefined, file: string | undefined, parse: (text: string, source: string) => T[] | string): T[] {
  if (inline !== undefined && file !== undefined) throw new ConfigError(`Set ${name} or ${name}_FILE, not both.`);
  let text = inline;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`${name}_FILE cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'} (${file}).`);
    }
  }
  if (text === undefined) return [];
  const parsed = parse(text, file !== undefined ? `${name}_FILE` : name);
  if (typeof parsed === 'string') throw new ConfigError(parsed);
  return parsed;
}
