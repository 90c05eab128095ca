/**
 * Documents a gateway must refuse quickly, each built small in text and large in what a naive walk
 * does with it: fragment spreads that multiply when expanded, nesting, repetition, and plain token
 * count. Every body stays under the gateway's 1 MiB request limit, so the refusal measured is the
 * GraphQL layer's, not the transport's 413.
 */
export interface AbusiveShape {
  name: string;
  /** What it does, for the report. */
  description: string;
  query: string;
}

/** `levels` fragments, each spreading the next `fanOut` times; the last selects `id name`. A walk that expands spreads visits fanOut^levels leaves. */
export function fragmentFanOut(levels: number, fanOut: number): string {
  const fragments = Array.from({ length: levels }, (_, level) => `fragment G${level} on Site { ${` ...G${level + 1}`.repeat(fanOut).trim()} }`);
  return [`query Q { sites { ...G0 } }`, ...fragments, `fragment G${levels} on Site { id name }`].join('\n');
}

/** `id` inside `depth` nested inline fragments on Site. */
export function nestedInlineFragments(depth: number): string {
  return `query Q { sites { ${'... on Site { '.repeat(depth)}id${' }'.repeat(depth)} } }`;
}

/** `count` aliases of `name` under `sites`. */
export function manyAliases(count: number): string {
  return `query Q { sites { ${Array.from({ length: count }, (_, index) => `a${index}: name`).join(' ')} } }`;
}

/** The same field with arguments and a sub-selection, `count` times at the top level (what field merging compares pairwise). */
export function repeatedFields(count: number): string {
  return `query Q { ${'site(id: "1234567890123") { certificates { nodes { id name } } } '.repeat(count)}}`;
}

/** One field carrying `count` copies of `@include(if: true)`. */
export function manyDirectives(count: number): string {
  return `query Q { sites { name ${'@include(if: true) '.repeat(count)}} }`;
}

/** Introspection nested through `fields { type { ... } }` four times. */
export function introspectionNest(): string {
  return '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }';
}

/** A document of `count` `name` tokens under `sites`. */
export function manyTokens(count: number): string {
  return `{ sites { ${'name '.repeat(count)}} }`;
}

/** The same response name `count` times, alternating two selections graphql-js must compare pairwise. */
export function conflictingRepeats(count: number): string {
  return `query Q { ${Array.from({ length: count }, (_, index) => (index % 2 ? 'x: sites { id: name }' : 'x: sites { id }')).join(' ')} }`;
}

/** An exponential chain of fragments that no operation uses: graphql-js still validates it. */
export function unusedFanOut(levels: number): string {
  return fragmentFanOut(levels, 2).replace('query Q { sites { ...G0 } }', 'query Q { sites { id } }');
}

export function abusiveShapes(): AbusiveShape[] {
  return [
    { name: 'chain30', description: '31 fragments, each spreading the next twice (2^30 leaves expanded)', query: fragmentFanOut(30, 2) },
    { name: 'wide', description: '9 fragments, each spreading the next 8 times (8^8 leaves expanded)', query: fragmentFanOut(8, 8) },
    { name: 'inlineDeep', description: '1500 nested inline fragments around id', query: nestedInlineFragments(1500) },
    { name: 'aliases', description: '3000 aliases of name under sites', query: manyAliases(3000) },
    { name: 'repeatedFields', description: 'site(id:) { certificates { nodes { id name } } } 2000 times at the top level', query: repeatedFields(2000) },
    { name: 'directives', description: 'one field with 2000 @include(if: true)', query: manyDirectives(2000) },
    { name: 'introspectionNest', description: '__schema types fields type nested four times', query: introspectionNest() },
    { name: 'tokens', description: '100,000 name tokens', query: manyTokens(100_000) },
    { name: 'conflictingRepeats', description: 'one alias over two different selections, 3000 times', query: conflictingRepeats(3000) },
    { name: 'unusedChain', description: 'an unused chain of 40 fragments, each spreading the next twice', query: unusedFanOut(40) },
  ];
}
