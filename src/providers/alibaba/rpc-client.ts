import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { GatewayError, type ErrorProvider } from '../../domain/errors/gateway-error';
import { redactPem } from '../../domain/redaction';
import { isCredentialRefusal, type CloudCredentials, type CredentialSource } from '../../accounts/credentials';
import { SPAN } from '../../telemetry/span-attributes';
import { markFailed, SpanKind, type Span, type Tracing } from '../../telemetry/tracing';
import { isRead, type UpstreamResilience } from './resilience';

export interface RpcClientOptions {
  product: 'ESA' | 'SLB' | 'STS';
  /** API version: ESA `2024-09-10`, SLB `2014-05-15`, STS `2015-04-01`. */
  version: string;
  /** `host[:port]`, used verbatim by the client as URL host and signed `host` header. */
  endpoint: string;
  protocol: 'http' | 'https';
  /** What calls are signed with: an access key, a role's temporary credentials, the default chain. */
  credentials: CredentialSource;
  /** Upper bound of one call, connect and answer together; with `resilience`, retries and waits too. */
  timeoutMs: number;
  /** Deadline, retries, breaker and rate limit for the product; without it every call is one attempt. */
  resilience?: UpstreamResilience;
  /**
   * Told about every attempt, whatever its outcome, with the RequestId the cloud gave it (for metrics
   * and access logs), before the caller hears of the call.
   */
  observe?: (action: string, outcome: AttemptOutcome, seconds: number, requestId?: string) => void;
  /** When tracing is on: a client span per attempt, whose `traceparent` the attempt carries to the cloud. */
  tracing?: Tracing;
}

export type AttemptOutcome = 'ok' | 'error' | 'timeout' | 'unreachable';

export interface RpcCall {
  method: 'GET' | 'POST';
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent form-encoded, as the SDKs send certificates, keys and CSRs. */
  body?: Record<string, string | number | boolean | undefined>;
}

export interface RpcAnswer<T> {
  body: T;
  requestId?: string;
}

/** What the tea runtime throws: an HTTP error answer, or Node's error for the connection. */
interface TeaResponseError {
  /** The cloud's error code, or Node's (`ECONNREFUSED`, `ECONNRESET`...). */
  code?: string;
  statusCode?: number;
  data?: { RequestId?: string; Message?: string };
  name?: string;
  message?: string;
}

/**
 * One product's RPC endpoint through the unmodified `@alicloud/openapi-client` (ACS3-HMAC-SHA256
 * signatures). The client never retries and bounds each call by both its connect and read timeouts
 * (https://github.com/aliyun/darabonba-openapi/blob/master/ts/src/client.ts; the connect timeout is
 * the socket's idle timer, so it also fires while an answer is awaited), so both are set to the time
 * the attempt may take; retries, the breaker and the
 * rate limit come from the `resilience` option. Every failure leaves here as a GatewayError carrying
 * the documented code; no SDK type or error escapes.
 *
 * Credentials are asked for before each attempt; the SDK client is made again only when they change
 * (a role's refreshed credentials). Temporary credentials the cloud refuses (expired, or refused as a
 * token) are reported to their source and the call is made once more with new ones, so an expiry the
 * gateway's clock did not foresee costs one refresh, not a failed call.
 */
export class RpcClient {
  private signer?: { credentials: CloudCredentials; client: OpenApi };

  constructor(private readonly options: RpcClientOptions) {}

  async call<T>(action: string, call: RpcCall): Promise<RpcAnswer<T>> {
    const used: { credentials?: CloudCredentials } = {};
    try {
      return await this.callOnce<T>(action, call, used);
    } catch (error) {
      const { credentials } = this.options;
      if (!(error instanceof GatewayError) || credentials.kind === 'access-key' || !used.credentials || !isCredentialRefusal(error.code)) throw error;
      credentials.refused(used.credentials);
      return this.callOnce<T>(action, call, used);
    }
  }

  private async callOnce<T>(action: string, call: RpcCall, used: { credentials?: CloudCredentials }): Promise<RpcAnswer<T>> {
    const { resilience, timeoutMs } = this.options;
    // Credentials first, outside this product's deadline: a role's STS call has its own, so a slow or
    // failing STS answers as STS, not as the product that waited for it.
    const client = await this.clientFor(action, used);
    const out = new Set<AttemptReport>();
    if (!resilience) return this.attempt<T>(action, call, timeoutMs, out, 1, client);
    try {
      return await resilience.execute(action, timeoutMs, (attemptMs, attempt) => this.attempt<T>(action, call, attemptMs, out, attempt, client));
    } catch (error) {
      // The deadline answers the caller without waiting for the attempt still out (its own timer may
      // fire a moment later): it is reported now, so it is counted before the caller hears of it.
      for (const report of out) report.settle('timeout');
      throw error;
    }
  }

  /** Attempt number `attempt` (1 for the first), abandoned after `timeoutMs`; while unanswered, its report waits in `out`. */
  private async attempt<T>(action: string, call: RpcCall, timeoutMs: number, out: Set<AttemptReport>, attempt: number, client: OpenApi): Promise<RpcAnswer<T>> {
    const params = new $OpenApi.Params({
      action,
      version: this.options.version,
      protocol: this.options.protocol.toUpperCase(),
      pathname: '/',
      method: call.method,
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const body = call.body ? wireParameters(call.body) : undefined;
    const span = this.options.tracing ? this.attemptSpan(this.options.tracing, action, attempt) : undefined;
    // The trace context rides as plain headers: the client merges them into the request, unsigned
    // (ACS3 signs host, content-type and x-acs-* only).
    const headers = span ? this.options.tracing?.headersFor(span) : undefined;
    const request = new $OpenApi.OpenApiRequest({
      query: wireParameters(call.query ?? {}),
      ...(body && Object.keys(body).length ? { body } : {}),
      ...(headers ? { headers } : {}),
    });
    const runtime = new $Util.RuntimeOptions({ readTimeout: timeoutMs, connectTimeout: timeoutMs });
    const report = new AttemptReport(action, this.options.observe, span);
    out.add(report);
    try {
      const response = (await client.callApi(params, request, runtime)) as { body: T & { RequestId?: string } };
      report.settle('ok', response.body.RequestId);
      return { body: response.body, ...(response.body.RequestId ? { requestId: response.body.RequestId } : {}) };
    } catch (error) {
      const translated = this.translate(action, error as TeaResponseError, timeoutMs);
      const outcome = translated.code === 'UPSTREAM_TIMEOUT' ? 'timeout' : translated.code === 'UPSTREAM_UNREACHABLE' ? 'unreachable' : 'error';
      report.settle(outcome, translated.details.requestId, translated.code);
      throw translated;
    } finally {
      out.delete(report);
    }
  }

  /** The SDK client signing with the current credentials (which `used` records); a source that cannot give any fails the attempt with its error. */
  private async clientFor(action: string, used: { credentials?: CloudCredentials }): Promise<OpenApi> {
    let credentials: CloudCredentials;
    try {
      credentials = await this.options.credentials.current();
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw GatewayError.refused('UPSTREAM_UNAVAILABLE', this.provider, `No credentials could be had for ${this.options.product} ${action}.`, action);
    }
    used.credentials = credentials;
    if (this.signer?.credentials !== credentials) {
      const { endpoint, protocol } = this.options;
      const { accessKeyId, accessKeySecret, securityToken } = credentials;
      const config = new $OpenApi.Config({ accessKeyId, accessKeySecret, endpoint, protocol, ...(securityToken ? { securityToken } : {}) });
      this.signer = { credentials, client: new OpenApi(config) };
    }
    return this.signer.client;
  }

  private get provider(): ErrorProvider {
    return this.options.product;
  }

  /** Names what is called and which try it is; never a parameter (they carry certificates and keys). */
  private attemptSpan(tracing: Tracing, action: string, attempt: number): Span {
    const { product, endpoint } = this.options;
    return tracing.span(
      `${product}/${action}`,
      {
        [SPAN.rpcSystem]: 'alibaba_cloud',
        [SPAN.rpcService]: product,
        [SPAN.rpcMethod]: action,
        [SPAN.serverAddress]: endpoint,
        [SPAN.upstreamProduct]: product,
        [SPAN.upstreamAction]: action,
        [SPAN.upstreamAttempt]: attempt,
      },
      SpanKind.CLIENT,
    );
  }

  private translate(action: string, error: TeaResponseError, timeoutMs: number): GatewayError {
    const { provider } = this;
    if (typeof error.statusCode === 'number' && error.code && error.code !== 'undefined') {
      return new GatewayError(error.code, safeMessage(error.data?.Message ?? error.code), {
        provider,
        action,
        httpStatus: error.statusCode,
        ...(error.data?.RequestId ? { requestId: error.data.RequestId } : {}),
      });
    }
    // A change that was sent but not answered may have been made: the caller must check, not retry.
    const change = !isRead(action);
    if (error.name === 'RequestTimeoutError' || /Timeout/.test(error.message ?? '')) {
      const what = `${provider} ${action} took longer than ${timeoutMs} ms.`;
      return change ? GatewayError.outcomeUnknown('UPSTREAM_TIMEOUT', provider, action, what) : GatewayError.refused('UPSTREAM_TIMEOUT', provider, what, action);
    }
    if (change && !NOT_SENT.has(error.code ?? '')) {
      return GatewayError.outcomeUnknown('UPSTREAM_UNREACHABLE', provider, action, `${provider} ${action} lost its connection before an answer came.`);
    }
    return GatewayError.refused('UPSTREAM_UNREACHABLE', provider, `${provider} ${action} failed before answering.`, action);
  }
}

/** Node's errors for a connection that was never made: nothing was sent, so nothing was changed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** One attempt's report to `observe` (and its span's end), made once: when the attempt settles, or when its caller stops waiting. */
class AttemptReport {
  private readonly started = process.hrtime.bigint();
  private settled = false;

  constructor(
    private readonly action: string,
    private readonly observe: RpcClientOptions['observe'],
    private readonly span?: Span,
  ) {}

  /** `code`: the documented code of a failed attempt (UPSTREAM_TIMEOUT when its caller stopped waiting). */
  settle(outcome: AttemptOutcome, requestId?: string, code?: string): void {
    if (this.settled) return;
    this.settled = true;
    this.observe?.(this.action, outcome, Number(process.hrtime.bigint() - this.started) / 1e9, requestId);
    if (!this.span) return;
    this.span.setAttribute(SPAN.upstreamOutcome, outcome);
    if (requestId) this.span.setAttribute(SPAN.upstreamRequestId, requestId);
    if (outcome !== 'ok') markFailed(this.span, code ?? 'UPSTREAM_TIMEOUT');
    this.span.end();
  }
}

/** Request parameters as the wire carries them: text, without the ones left out. */
function wireParameters(values: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = String(value);
  return out;
}

/**
 * Upstream messages go to callers; strip what must never travel: PEM blocks and the string-to-sign
 * the POP gateway appends to signature errors.
 */
export function safeMessage(message: string): string {
  return redactPem(message)
    .replace(/\s*server string to sign is:[\s\S]*$/, '')
    .slice(0, 500);
}
