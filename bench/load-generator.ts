import { performance } from 'node:perf_hooks';
import { HttpConnection, type HttpAnswer } from './http-connection';
import { percentile } from './stats';

export interface LoadOptions {
  url: URL;
  /** The prepared request, sent again and again. */
  request: Buffer;
  /** When given, the n-th request sent (from 0, over all connections) instead of `request`: distinct bytes a response cache cannot replay. */
  requestFor?: (n: number) => Buffer;
  connections: number;
  /** Measured time, after the warm-up. */
  durationMs: number;
  warmupMs: number;
  /** When given, a 200 whose body differs is counted as a mismatch. */
  expectedBody?: Buffer;
  /**
   * Counts every request sent in the measured window, however late its answer, instead of the
   * answers that arrive within it: a server that stalls past the window's end shows it in the latencies.
   */
  countLateAnswers?: boolean;
  /** Ends the run at once: a request still waiting counts in `unanswered`, with its wait so far as its latency (a lower bound). */
  signal?: AbortSignal;
  /** Return the measured latencies, to pool several runs. */
  keepLatencies?: boolean;
}

export interface LoadResult {
  connections: number;
  durationS: number;
  /** Requests answered between the end of the warm-up and the end. */
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-200 answers, GraphQL errors in a 200 and broken connections, warm-up included. */
  errors: number;
  /** 200s without errors whose body is not the expected one. */
  mismatches: number;
  /** Answers seen in total, warm-up included (what errors are out of). */
  answered: number;
  /** Requests still waiting when `signal` ended the run. */
  unanswered: number;
  /** The measured latencies, ascending (with `keepLatencies`). */
  latenciesMs?: number[];
}

const ERRORS_MEMBER = Buffer.from('"errors"');

/**
 * A closed-loop load generator: a fixed number of keep-alive connections, each sending its next
 * request as soon as the previous one is answered. Throughput is what the server sustains; latency
 * includes queueing at that throughput, the same for every target given the same connections.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = options.url.hostname;
  const port = Number(options.url.port);
  const connections = await Promise.all(Array.from({ length: options.connections }, () => HttpConnection.open(host, port)));
  const started = performance.now();
  const measureFrom = started + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let mismatches = 0;
  let answered = 0;
  let unanswered = 0;
  let sequence = 0;
  const aborted = () => options.signal?.aborted === true;
  const closeAll = () => connections.forEach((connection) => connection.close());
  options.signal?.addEventListener('abort', closeAll, { once: true });

  const judge = (answer: HttpAnswer) => {
    answered += 1;
    if (answer.status !== 200 || answer.body.indexOf(ERRORS_MEMBER) >= 0) errors += 1;
    else if (options.expectedBody && !answer.body.equals(options.expectedBody)) mismatches += 1;
  };

  const record = (sent: number, done: number) => {
    const measured = options.countLateAnswers ? sent >= measureFrom && sent < measureUntil : done >= measureFrom && done <= measureUntil;
    if (measured) latencies.push(done - sent);
  };

  const loop = async (index: number) => {
    let connection = connections[index] as HttpConnection;
    while (performance.now() < measureUntil && !aborted()) {
      const sent = performance.now();
      try {
        judge(await connection.send(options.requestFor ? options.requestFor(sequence++) : options.request));
      } catch {
        if (aborted()) {
          unanswered += 1;
          record(sent, performance.now());
          break;
        }
        errors += 1;
        connection.close();
        connection = await HttpConnection.open(host, port);
        connections[index] = connection;
        continue;
      }
      record(sent, performance.now());
    }
    connection.close();
  };
  await Promise.all(connections.map((_, index) => loop(index)));
  options.signal?.removeEventListener('abort', closeAll);

  latencies.sort((a, b) => a - b);
  const durationS = options.durationMs / 1000;
  return {
    connections: options.connections,
    durationS,
    requests: latencies.length,
    rps: latencies.length / durationS,
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    errors,
    mismatches,
    answered,
    unanswered,
    ...(options.keepLatencies ? { latenciesMs: latencies } : {}),
  };
}
