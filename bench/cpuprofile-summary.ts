import { readFileSync } from 'node:fs';

/** The parts of V8's .cpuprofile format (what `node --cpu-prof` writes) that are read here. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled time in the window, idle excluded. */
  busyMs: number;
  idleMs: number;
  samples: number;
  topSelf: Entry[];
  /** Self time by where the code lives: a package, a gateway folder, node internals, GC. */
  selfByArea: Entry[];
  /** Time with the area anywhere on the stack, the tick and microtask runners left out (areas overlap, so shares add up past 100%). */
  inclusiveByArea: Entry[];
}

const IDLE = new Set(['(idle)']);
/** The microtask and tick runners sit under nearly every stack; as an inclusive area they say nothing. */
const SCHEDULERS = new Set(['runMicrotasks', 'processTicksAndRejections', 'processImmediate', 'listOnTimeout']);

/**
 * Summarises a .cpuprofile: where the CPU went, by function (self time) and by area. `window`
 * (microseconds on the profile's monotonic clock) keeps only the samples taken under load, leaving
 * out startup and shutdown.
 */
export function summariseProfile(profile: CpuProfile, window?: { fromUs: number; toUs: number }, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const inclusiveArea = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let samples = 0;
  let at = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const node = byId.get(nodeId);
    if (!node) return;
    samples += 1;
    if (IDLE.has(node.callFrame.functionName)) {
      idleUs += delta;
      return;
    }
    busyUs += delta;
    add(self, functionLabel(node), delta);
    add(selfArea, areaOf(node), delta);
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id);
      if (!frame || frame.callFrame.functionName === '(root)' || SCHEDULERS.has(frame.callFrame.functionName)) continue;
      const area = areaOf(frame);
      if (!seen.has(area)) {
        seen.add(area);
        add(inclusiveArea, area, delta);
      }
    }
  });
  const entries = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    samples,
    topSelf: entries(self, top),
    selfByArea: entries(selfArea, 20),
    inclusiveByArea: entries(inclusiveArea, 20),
  };
}

export function printProfileSummary(summary: ProfileSummary, print: (line: string) => void): void {
  const rows = (entries: Entry[]) => entries.forEach((entry) => print(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(6)} ms  ${entry.name}`));
  print(`busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms, ${summary.samples} samples`);
  print('');
  print('self time by area (share of busy time)');
  rows(summary.selfByArea);
  print('');
  print('time with the area on the stack (inclusive; areas overlap)');
  rows(summary.inclusiveByArea);
  print('');
  print('top functions by self time');
  rows(summary.topSelf);
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const src = url.search(/\/(src|bench)\//);
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
}

/** An npm package, a gateway folder (src/cache, src/schema...), a node internal module, or V8's own. */
export function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  if (url.startsWith('node:')) {
    const [, area] = /^node:(?:internal\/)?([^/]+)/.exec(url) ?? [];
    return `node:${area ?? url}`;
  }
  const src = /\/src\/([^/]+)(\/|\.js$|\.ts$)/.exec(url);
  if (src) return `src/${src[1]?.replace(/\.(js|ts)$/, '')}`;
  return shortUrl(url);
}

/** `node -r ./scripts/ts-register.js bench/cpuprofile-summary.ts <file.cpuprofile>` */
if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node -r ./scripts/ts-register.js bench/cpuprofile-summary.ts <file.cpuprofile>\n');
    process.exit(2);
  }
  printProfileSummary(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile), (line) => process.stdout.write(`${line}\n`));
}

export type { CpuProfile };
