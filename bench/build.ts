import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Build {
  /** The compiled tree: `<dir>/src/main.js`, `<dir>/bench/baseline-server.js`, ... */
  dir: string;
  /** For the children's NODE_PATH: the compiled files live outside the repository. */
  nodeModules: string;
  files: number;
  ms: number;
  remove(): void;
}

const REPO = resolve(__dirname, '..');

/**
 * Compiles `src/` and the bench's child programs to plain JavaScript in a temporary directory, so the
 * measured processes run as production does (`node dist/main.js`): without the TypeScript compiler
 * loaded by the on-require hook, which would add tens of MB to the RSS being measured and to every
 * full GC. Transpile only, with the project's options (decorator metadata included); `npm run
 * typecheck` does the checking. Nothing is written inside the repository.
 */
export function buildForBench(): Build {
  const started = performance.now();
  const { config } = ts.readConfigFile(join(REPO, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, REPO);
  const compilerOptions: ts.CompilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: false, incremental: false, declaration: false };
  const dir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const sources = [...typescriptFiles(join(REPO, 'src')), ...['baseline-server.ts', 'memory-baseline-server.ts', 'direct-client-process.ts', 'upstream.ts'].map((file) => join(REPO, 'bench', file))];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), { compilerOptions, fileName: source });
    const target = join(dir, relative(REPO, source)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return {
    dir,
    nodeModules: join(REPO, 'node_modules'),
    files: sources.length,
    ms: performance.now() - started,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function typescriptFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
