import { performance } from 'node:perf_hooks';
import { HttpConnection, jsonPost } from './http-connection';
import { graphqlBody } from './queries';

export interface GraphqlAnswer {
  status: number;
  /** The body as sent, byte for byte. */
  raw: Buffer;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  ms: number;
}

/** Sequential GraphQL requests over one keep-alive connection, timed from write to last byte. */
export class GraphqlSession {
  private constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
    private connection: HttpConnection,
  ) {}

  static async open(url: URL, headers: Record<string, string> = {}): Promise<GraphqlSession> {
    return new GraphqlSession(url, headers, await HttpConnection.open(url.hostname, Number(url.port)));
  }

  async query(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> {
    if (!this.connection.usable) this.connection = await HttpConnection.open(this.url.hostname, Number(this.url.port));
    const request = jsonPost(this.url, graphqlBody(query, variables), this.headers);
    const started = performance.now();
    const answer = await this.connection.send(request);
    const ms = performance.now() - started;
    const parsed = JSON.parse(answer.body.toString('utf8')) as Pick<GraphqlAnswer, 'data' | 'errors'>;
    return { status: answer.status, raw: answer.body, ms, ...parsed };
  }

  /** Like query, but a non-200 or any GraphQL error stops the run: a number measured over errors is no number. */
  async expectData(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer & { data: Record<string, unknown> }> {
    const answer = await this.query(query, variables);
    if (answer.status !== 200 || answer.errors?.length || !answer.data) {
      const first = answer.errors?.[0];
      throw new Error(`the gateway answered ${answer.status}${first ? `: ${first.extensions?.code ?? ''} ${first.message}` : ''} (${answer.errors?.length ?? 0} errors)`);
    }
    return answer as GraphqlAnswer & { data: Record<string, unknown> };
  }

  close(): void {
    this.connection.close();
  }
}
