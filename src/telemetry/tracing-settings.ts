/**
 * OpenTelemetry's standard variables for traces (README.md, Settings), read once by config.ts.
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/ and
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/
 */

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

export interface TracingSettings {
  /** Where finished spans are posted: the signal's own endpoint, or the base endpoint + `/v1/traces`. */
  url: string;
  protocol: (typeof PROTOCOLS)[number];
  serviceName: string;
  sampler: SamplerName;
  /** The ratio of the `traceidratio` samplers, 0 to 1. */
  samplerRatio: number;
  /** The longest a finished span waits in the batch before it is sent. */
  scheduleDelayMs: number;
}

/**
 * The tracing settings; undefined when no endpoint is set (or OTEL_SDK_DISABLED=true): tracing is
 * off. A bad value is returned as the one line that names it.
 */
export function parseTracingSettings(get: (name: string) => string | undefined): TracingSettings | undefined | string {
  const disabled = get('OTEL_SDK_DISABLED');
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false') return `OTEL_SDK_DISABLED must be true or false, got "${disabled}".`;
  const signalEndpoint = get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (disabled === 'true' || (signalEndpoint === undefined && baseEndpoint === undefined)) return undefined;

  // The signal's own endpoint is used as it is; the base endpoint gets the signal's path.
  const [name, url] = signalEndpoint !== undefined
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signalEndpoint]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', `${(baseEndpoint as string).replace(/\/+$/, '')}/v1/traces`];
  if (!isHttpUrl(url)) return `${name} must be an http:// or https:// URL, got "${signalEndpoint ?? baseEndpoint}".`;

  const protocol = get('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? get('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) return `OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (grpc is not supported), got "${protocol}".`;

  const sampler = get('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  if (!(SAMPLERS as readonly string[]).includes(sampler)) return `OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${sampler}".`;
  const rawRatio = get('OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = rawRatio === undefined ? 1 : Number(rawRatio);
  if (sampler.endsWith('traceidratio') && !(samplerRatio >= 0 && samplerRatio <= 1)) return `OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got "${rawRatio}".`;

  const rawDelay = get('OTEL_BSP_SCHEDULE_DELAY');
  const scheduleDelayMs = rawDelay === undefined ? 5_000 : Number(rawDelay);
  if (!Number.isInteger(scheduleDelayMs) || scheduleDelayMs < 0 || scheduleDelayMs > 600_000) {
    return `OTEL_BSP_SCHEDULE_DELAY must be a whole number of milliseconds from 0 to 600000, got "${rawDelay}".`;
  }
  return {
    url,
    protocol: protocol as TracingSettings['protocol'],
    serviceName: get('OTEL_SERVICE_NAME') ?? 'certificate-gateway',
    sampler: sampler as SamplerName,
    samplerRatio: sampler.endsWith('traceidratio') ? samplerRatio : 1,
    scheduleDelayMs,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
