import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Sits between a real client and the emulator and keeps every request as it went over the wire, so a
 * test can replay one that the real client signed, or tamper with it, without a signer of its own.
 */
export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  endpoint = '';

  constructor(private readonly target: { url: string }) {}

  async start(): Promise<this> {
    this.server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const recorded: RecordedRequest = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks) };
        this.requests.push(recorded);
        send(this.target.url, recorded).then(
          (response) => {
            outgoing.writeHead(response.status, response.headers);
            outgoing.end(JSON.stringify(response.body));
          },
          () => outgoing.destroy(),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

/** Sends a recorded (possibly altered) request to `baseUrl` as raw HTTP. */
export function send(baseUrl: string, recorded: RecordedRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers = { ...recorded.headers };
  delete headers['transfer-encoding'];
  headers['content-length'] = String(recorded.body.length);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ hostname, port, method: recorded.method, path: recorded.url, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`non-JSON answer (${response.statusCode}): ${text.slice(0, 200)}`));
        }
      });
    });
    outgoing.on('error', reject);
    outgoing.end(recorded.body);
  });
}
