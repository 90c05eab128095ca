import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\s+'([^']+)'|require\('([^']+)'\)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/** The folder of src/ a relative import lands in (`server`, `domain`..., `app` for src/app.ts), or undefined for a package. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(src, resolve(dirname(file), specifier)).split(sep)[0]?.replace(/\.ts$/, '');
}

/** `@alicloud/` matches the whole scope; any other name matches the package and its subpaths. */
function isPackage(specifier: string, name: string): boolean {
  return name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`);
}

/** Each import of a file under src/<layer> that reaches one of `layers` or `packages`, as `file -> specifier`. */
function forbiddenImports(layer: string, forbidden: { layers?: readonly string[]; packages?: readonly string[] }): string[] {
  return sourceFiles(join(src, layer)).flatMap((file) =>
    imports(file)
      .filter((specifier) => {
        const target = layerOf(file, specifier);
        if (target !== undefined) return target !== layer && (forbidden.layers ?? []).includes(target);
        return (forbidden.packages ?? []).some((name) => isPackage(specifier, name));
      })
      .map((specifier) => `${relative(root, file)} -> ${specifier}`),
  );
}

/** The files of src/ that import `name`, except those `allowed` says may. */
function importersOf(name: string, allowed: (path: string) => boolean): string[] {
  return sourceFiles(src)
    .map((file) => relative(root, file).split(sep).join('/'))
    .filter((path) => !allowed(path) && imports(join(root, path)).some((specifier) => isPackage(specifier, name)));
}

describe('the layout', () => {
  it('keeps the emulator a program of its own: no import leaves src/emulator', () => {
    const emulatorDir = join(root, 'src/emulator');
    const escapes = sourceFiles(emulatorDir).flatMap((file) =>
      imports(file)
        .filter((specifier) => specifier.startsWith('.'))
        .filter((specifier) => relative(emulatorDir, resolve(dirname(file), specifier)).startsWith('..'))
        .map((specifier) => `${relative(root, file)} -> ${specifier}`),
    );
    expect(escapes).toEqual([]);
  });
});

describe('the direction of dependencies: server -> schema -> domain <- providers', () => {
  it('keeps the domain free of every other layer, of GraphQL frameworks, of the Alibaba SDKs and of Redis', () => {
    expect(
      forbiddenImports('domain', {
        layers: ['server', 'schema', 'providers', 'accounts', 'loaders', 'cache', 'emulator', 'app'],
        packages: ['@alicloud/', 'type-graphql', '@apollo/', 'ioredis'],
      }),
    ).toEqual([]);
  });

  it('lets the schema reach the domain but neither the server nor the providers', () => {
    expect(forbiddenImports('schema', { layers: ['server', 'providers', 'app'] })).toEqual([]);
  });

  it('lets the providers reach the domain but neither the server nor the schema', () => {
    expect(forbiddenImports('providers', { layers: ['server', 'schema', 'app'] })).toEqual([]);
  });

  it('lets the accounts (credentials and their wiring) reach the domain but neither the server nor the schema', () => {
    expect(forbiddenImports('accounts', { layers: ['server', 'schema', 'app'] })).toEqual([]);
  });

  it('keeps type-graphql inside src/schema', () => {
    expect(importersOf('type-graphql', (path) => path.startsWith('src/schema/'))).toEqual([]);
  });

  it('keeps the Alibaba SDKs inside src/providers, the credentials of src/accounts and the composition root, never in the emulator', () => {
    expect(importersOf('@alicloud/', (path) => path.startsWith('src/providers/') || path === 'src/accounts/credentials.ts' || path === 'src/app.ts')).toEqual([]);
  });

  it('keeps OpenTelemetry inside src/telemetry: the other layers speak to its Tracing, which is absent while tracing is off', () => {
    expect(importersOf('@opentelemetry/', (path) => path.startsWith('src/telemetry/'))).toEqual([]);
  });
});
