import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

export interface TestRedisCluster {
  /** A seed node's URL. */
  url: string;
  stop(): Promise<void>;
}

/** Whether this machine can start Redis servers for a private cluster. */
export function canStartRedis(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v redis-server && command -v redis-cli'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Three private masters on free ports, joined with `redis-cli --cluster create`, removed afterwards. */
export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    ),
  );
  const cli = (args: string[]) => execFileSync('redis-cli', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  await until(() => ports.every((port) => cli(['-p', String(port), 'ping']).trim() === 'PONG'));
  cli(['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
  await until(() => ports.every((port) => cli(['-p', String(port), 'cluster', 'info']).includes('cluster_state:ok')));
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    stop: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), server.kill('SIGTERM'))))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error('the private Redis cluster did not come up');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
