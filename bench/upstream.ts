import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type IncomingMessage } from 'node:http';
import { type RunningEmulator } from '../src/emulator/emulator';

export interface CallCount {
  total: number;
  calls: Record<string, number>;
}

/** The emulator's own count of API calls (its admin routes), which the gateway cannot influence. */
export class EmulatorStats {
  constructor(private readonly emulator: Pick<RunningEmulator, 'url'>) {}

  async reset(): Promise<void> {
    await this.admin('DELETE', 'stats');
  }

  async read(): Promise<CallCount> {
    return (await this.admin('GET', 'stats')) as CallCount;
  }

  async addFault(fault: Record<string, unknown>): Promise<void> {
    await this.admin('POST', 'faults', fault);
  }

  async clearFaults(): Promise<void> {
    await this.admin('DELETE', 'faults');
  }

  private async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.emulator.url}/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`emulator ${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

interface ServerMessage {
  request: IncomingMessage;
}

/**
 * The most API calls the emulator was serving at once: the concurrency the gateway really used,
 * seen from the cloud's side. Read from node:http's diagnostics channels of the emulator's server,
 * which runs in this process; admin routes are not API calls and are left out.
 */
export class InFlightMeter {
  private inFlight = 0;
  private peak = 0;
  private readonly tracked = new WeakSet<IncomingMessage>();
  private readonly onStart = (message: unknown) => {
    const { request } = message as ServerMessage;
    if (request.socket.localPort !== this.port || request.url?.startsWith('/_emulator/')) return;
    this.tracked.add(request);
    this.inFlight += 1;
    this.peak = Math.max(this.peak, this.inFlight);
  };
  private readonly onFinish = (message: unknown) => {
    const { request } = message as ServerMessage;
    if (!this.tracked.has(request)) return;
    this.tracked.delete(request);
    this.inFlight -= 1;
  };

  constructor(private readonly port: number) {
    subscribe('http.server.request.start', this.onStart);
    subscribe('http.server.response.finish', this.onFinish);
  }

  /** The peak since the last call, then starts over. */
  takePeak(): number {
    const peak = this.peak;
    this.peak = this.inFlight;
    return peak;
  }

  close(): void {
    unsubscribe('http.server.request.start', this.onStart);
    unsubscribe('http.server.response.finish', this.onFinish);
  }
}

/**
 * When the emulator served its first API call and finished its last, seen from its side (node:http's
 * diagnostics channels, admin routes left out): the wall time of a burst of calls whose start the
 * bench cannot see, such as the sweep a gateway runs at start.
 */
export class CallWindow {
  /** Epoch milliseconds, so they compare with the gateway's own timestamps. */
  firstStartMs?: number;
  lastFinishMs?: number;
  private readonly tracked = new WeakSet<IncomingMessage>();
  private readonly onStart = (message: unknown) => {
    const { request } = message as ServerMessage;
    if (request.socket.localPort !== this.port || request.url?.startsWith('/_emulator/')) return;
    this.tracked.add(request);
    this.firstStartMs ??= Date.now();
  };
  private readonly onFinish = (message: unknown) => {
    const { request } = message as ServerMessage;
    if (!this.tracked.delete(request)) return;
    this.lastFinishMs = Date.now();
  };

  constructor(private readonly port: number) {
    subscribe('http.server.request.start', this.onStart);
    subscribe('http.server.response.finish', this.onFinish);
  }

  close(): void {
    unsubscribe('http.server.request.start', this.onStart);
    unsubscribe('http.server.response.finish', this.onFinish);
  }
}

/** The emulator's first access key: the account the bench's gateways are signed for. */
function firstKey(emulator: Pick<RunningEmulator, 'accessKeys'>): { accessKeyId: string; accessKeySecret: string } {
  const [accessKeyId, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
  return { accessKeyId, accessKeySecret };
}

/**
 * `@alicloud/openapi-client` used directly, configured and called as the gateway's adapter calls it
 * (same signature version, method, parameter placement and timeouts): what a service that skipped
 * the gateway would pay for one read.
 */
export class DirectEsaClient {
  private readonly client: OpenApi;
  private readonly runtime = new $Util.RuntimeOptions({ readTimeout: 5_000, connectTimeout: 5_000 });

  constructor(emulator: Pick<RunningEmulator, 'endpoint' | 'accessKeys'>) {
    this.client = new OpenApi(new $OpenApi.Config({ ...firstKey(emulator), endpoint: emulator.endpoint, protocol: 'http' }));
  }

  getCertificate(siteId: string, id: string): Promise<Record<string, unknown>> {
    return this.call('GetCertificate', 'POST', { SiteId: siteId, Id: id });
  }

  /** One page of ListSites: the ids on it and the TotalCount. */
  async listSites(pageNumber: number, pageSize: number): Promise<{ ids: string[]; total: number }> {
    const body = await this.call('ListSites', 'GET', { PageNumber: String(pageNumber), PageSize: String(pageSize) });
    const sites = Array.isArray(body.Sites) ? (body.Sites as Array<{ SiteId?: unknown }>) : [];
    return { ids: sites.map((site) => String(site.SiteId)), total: typeof body.TotalCount === 'number' ? body.TotalCount : sites.length };
  }

  listCertificates(siteId: string, action: string): Promise<Record<string, unknown>> {
    const method = action === 'ListCertificates' ? 'POST' : 'GET';
    return this.call(action, method, { SiteId: siteId, PageNumber: '1', PageSize: '1' });
  }

  /** SetCertificate with a CAS certificate: no key generation, so seeding a thousand is quick. */
  async setCasCertificate(siteId: string, casId: string, name: string): Promise<string> {
    const body = await this.call('SetCertificate', 'POST', {}, { SiteId: siteId, Type: 'cas', CasId: casId, Name: name });
    if (typeof body.Id !== 'string') throw new Error(`SetCertificate answered without an Id: ${JSON.stringify(body)}`);
    return body.Id;
  }

  private async call(action: string, method: 'GET' | 'POST', query: Record<string, string>, body?: Record<string, string>): Promise<Record<string, unknown>> {
    const params = new $OpenApi.Params({
      action,
      version: '2024-09-10',
      protocol: 'HTTP',
      pathname: '/',
      method,
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const request = new $OpenApi.OpenApiRequest({ query, ...(body ? { body } : {}) });
    const response = (await this.client.callApi(params, request, this.runtime)) as { body: Record<string, unknown> };
    return response.body;
  }
}

/**
 * The SLB side of the same: SLB 2014-05-15 as the gateway's adapter calls it (every action a POST
 * with its parameters in the query string, src/providers/slb/slb-provider.ts), for counting the
 * pages of the lists a sweep reads.
 */
export class DirectSlbClient {
  private readonly client: OpenApi;
  private readonly runtime = new $Util.RuntimeOptions({ readTimeout: 5_000, connectTimeout: 5_000 });

  constructor(emulator: Pick<RunningEmulator, 'endpoint' | 'accessKeys'>) {
    this.client = new OpenApi(new $OpenApi.Config({ ...firstKey(emulator), endpoint: emulator.endpoint, protocol: 'http' }));
  }

  /** DescribeRegions: the account's region ids. */
  async describeRegions(): Promise<string[]> {
    const body = await this.call('DescribeRegions', {});
    const regions = (body.Regions as { Region?: Array<{ RegionId?: unknown }> } | undefined)?.Region ?? [];
    return regions.flatMap((region) => (typeof region.RegionId === 'string' ? [region.RegionId] : []));
  }

  /** One page of a region's HTTPS listeners: how many are on it, and the token of the next page (absent on the last). */
  async httpsListenerPage(regionId: string, maxResults: number, nextToken?: string): Promise<{ listeners: number; nextToken?: string }> {
    const body = await this.call('DescribeLoadBalancerListeners', {
      RegionId: regionId,
      ListenerProtocol: 'https',
      MaxResults: String(maxResults),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    });
    // The emulator answers a flat `Listeners[]`; the SDK's model also allows `{Listener: [...]}`.
    const container = body.Listeners as unknown[] | { Listener?: unknown[] } | undefined;
    const listeners = (Array.isArray(container) ? container : (container?.Listener ?? [])).length;
    return typeof body.NextToken === 'string' && body.NextToken !== '' ? { listeners, nextToken: body.NextToken } : { listeners };
  }

  private async call(action: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const params = new $OpenApi.Params({
      action,
      version: '2014-05-15',
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const response = (await this.client.callApi(params, new $OpenApi.OpenApiRequest({ query }), this.runtime)) as { body: Record<string, unknown> };
    return response.body;
  }
}
