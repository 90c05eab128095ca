import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGatewaySchema } from '../src/schema/build-schema';

/**
 * Writes schema.graphql from the code-first schema, sorted so the diff of a change shows only the
 * change. `--check` writes nothing and fails when the checked-in file differs: the server never
 * writes it, so a stale file can only come from forgetting `npm run schema`.
 */
const HEADER = '# Generated from the type-graphql code in src/schema by `npm run schema`. Do not edit.\n\n';

async function main(): Promise<void> {
  const path = resolve(__dirname, '..', 'schema.graphql');
  const text = HEADER + printSchema(lexicographicSortSchema(await buildGatewaySchema())) + '\n';
  if (!process.argv.includes('--check')) {
    writeFileSync(path, text);
    return;
  }
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (current !== text) {
    process.stderr.write('schema.graphql is stale: run `npm run schema` and commit the result.\n');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
