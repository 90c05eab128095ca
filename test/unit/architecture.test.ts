import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

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

  it('keeps the Alibaba SDKs out of the emulator', () => {
    const offenders = sourceFiles(join(root, 'src/emulator')).filter((file) => imports(file).some((specifier) => specifier.startsWith('@alicloud/')));
    expect(offenders).toEqual([]);
  });
});
