import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/emulator';

/** An emulator on a free loopback port for one test file, reset (and stats cleared) by `reset()`. */
export interface TestEmulator extends RunningEmulator {
  reset(): Promise<void>;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stats(): Promise<Record<string, number>>;
  /** `POST /_emulator/seed {generate}` (src/emulator/README.md, "A large account in one call"); throws unless it succeeds. */
  generate(options: Record<string, unknown>, accessKeyId?: string): Promise<GeneratedEstate>;
}

/** What `POST /_emulator/seed {generate}` answers under `generated`. */
export interface GeneratedEstate {
  sites: number;
  firstSiteId: string | null;
  edgeCertificates: number;
  serverCertificates: number;
  regions: string[];
  expired: number;
  expiringWithin30Days: number;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ log: () => undefined, validation: { mode: 'manual' }, ...options });
  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    ...emulator,
    admin,
    reset: async () => {
      await admin('POST', 'reset');
    },
    stats: async () => (await admin<{ calls: Record<string, number> }>('GET', 'stats')).body.calls,
    generate: async (options, accessKeyId) => {
      const { status, body } = await admin<{ generated: GeneratedEstate }>('POST', 'seed', { ...(accessKeyId ? { accessKeyId } : {}), generate: options });
      if (status !== 200) throw new Error(`seed generate answered ${status}: ${JSON.stringify(body)}`);
      return body.generated;
    },
  };
}
