import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** Which core each party gets; undefined when the bench does not pin (one core, no taskset, BENCH_PIN=0). */
export interface CpuPlan {
  /** The server under test: the gateway or the baseline, never both at once. */
  server?: string;
  /** The load generator, the emulator and Redis. */
  client?: string;
  description: string;
}

/**
 * On two or more cores the server under test gets a core of its own and everything that feeds it
 * shares the other, so the load generator never steals the measured process's CPU, and the gateway
 * and the baseline see the same conditions. Pinning the bench process itself covers the emulator,
 * which runs in it.
 */
export function planCpus(): CpuPlan {
  if (process.env.BENCH_PIN === '0') return { description: 'not pinned (BENCH_PIN=0)' };
  if (cpus().length < 2) return { description: 'not pinned (one core)' };
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { description: 'not pinned (taskset unavailable)' };
  }
  return { server: '1', client: '0', description: 'server under test on cpu 1; load generator, emulator and Redis on cpu 0' };
}

/** The command line that runs `command` on `cpu`, or as is. */
export function pinned(cpu: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', cpu, command, ...args]];
}

export interface NodeChild {
  pid: number;
  /** What the child announced when it was ready (its URL). */
  announced: string;
  /** Everything it wrote to stderr, for the error message when it dies. */
  stderr(): string;
  /** A line to its stdin (children started with `stdin: true`). */
  send(line: string): void;
  /** Its next stdout line after the announcement. */
  nextLine(): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs` (20 s): a process whose event loop is blocked never handles SIGTERM. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface NodeChildOptions {
  /** A compiled entry point (see build.ts). */
  script: string;
  env: NodeJS.ProcessEnv;
  cpu?: string;
  /** Extra flags for node itself, such as --cpu-prof. */
  nodeFlags?: string[];
  /** Picks the announcement out of a stdout line; undefined for lines that are not it. */
  announcement: (line: string) => string | undefined;
  startTimeoutMs?: number;
  /** Keep stdin open for commands. */
  stdin?: boolean;
}

const REPO = resolve(__dirname, '..');

/**
 * A compiled entry point in its own node process, resolved once it announces itself on stdout.
 * taskset execs node, so the pid is node's own and /proc/<pid> describes the measured process.
 */
export async function startNodeChild(options: NodeChildOptions): Promise<NodeChild> {
  const args = [...(options.nodeFlags ?? []), options.script];
  const [command, commandArgs] = pinned(options.cpu, process.execPath, args);
  const child: ChildProcess = spawn(command, commandArgs, { cwd: REPO, env: options.env, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  // Every stdout line is read (so a chatty child never blocks on a full pipe); the ones after the
  // announcement are kept for nextLine.
  let announced: string | undefined;
  const later: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<string>((resolveAnnounced, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.script} did not start within ${options.startTimeoutMs ?? 30_000} ms.\n${stderr}`)), options.startTimeoutMs ?? 30_000);
    lines.on('line', (line) => {
      if (announced !== undefined) {
        const reader = waiting.shift();
        if (reader) reader.resolve(line);
        else later.push(line);
        return;
      }
      announced = options.announcement(line);
      if (announced === undefined) return;
      clearTimeout(timer);
      resolveAnnounced(announced);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const error = new Error(`${options.script} exited (${code ?? signal}).\n${stderr}`);
      reject(error);
      for (const reader of waiting.splice(0)) reader.reject(error);
    });
  });
  return {
    pid: child.pid as number,
    announced: await ready,
    stderr: () => stderr,
    send: (line) => void child.stdin?.write(`${line}\n`),
    nextLine: () => {
      const line = later.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${options.script} has exited.\n${stderr}`));
      return new Promise((resolveLine, rejectLine) => waiting.push({ resolve: resolveLine, reject: rejectLine }));
    },
    stop: (graceMs) => stopChild(child, graceMs),
  };
}

/** SIGTERM (the gateway drains and exits, which is also when --cpu-prof writes), SIGKILL after the grace. */
function stopChild(child: ChildProcess, graceMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolveExit(code);
    });
    child.kill('SIGTERM');
  });
}

/** A JSON stdout line's field, if the line is JSON and has it as a string. */
export function jsonField(line: string, field: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = (JSON.parse(line) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
