import { getIntrospectionQuery, parse } from 'graphql';
import { DocumentReader } from '../../../src/server/limits/document-reader';
import { DEFAULT_LIMITS, limitProblems, measureDocument } from '../../../src/server/limits/operation-cost';
import { fragmentFanOut, introspectionNest } from '../../helpers/abusive-documents';

const measure = (text: string, variables: Record<string, unknown> = {}) => measureDocument(parse(text), variables);

describe('the operation measure', () => {
  it('counts what a fragment chain expands to, measuring each fragment once', () => {
    const chain = measure(fragmentFanOut(30, 2));

    // sites (1) + 20 assumed sites x 2^30 leaves of `id name` (2 each).
    expect(chain.fields).toBe(1 + 2 ** 30 * 2);
    expect(chain.cost).toBe(1 + 20 * 2 ** 31);
    expect(chain.depth).toBe(2);
  });

  it('reaches Infinity on absurd chains and still compares with the limits', () => {
    const absurd = measure(fragmentFanOut(1100, 2));

    expect(absurd.fields).toBe(Infinity);
    expect(limitProblems(absurd, DEFAULT_LIMITS).join()).toContain('more than 2^53');
  });

  it('measures every operation and fragment of a document, unused ones included', () => {
    const unused = measure(`${fragmentFanOut(20, 2).replace('query Q { sites { ...G0 } }', 'query Q { sites { id } }')}`);

    expect(unused.fields).toBe(2 ** 20 * 2);
  });

  it('counts list arguments from literals, variables and the defaults of variables left out', () => {
    expect(measure('{ nodes(ids: ["a", "b", "c"]) { id } }').longestList).toBe(3);
    expect(measure('query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b'] }).longestList).toBe(2);
    expect(measure('query Q($ids: [ID!]! = ["a", "b", "c", "d"]) { nodes(ids: $ids) { id } }').longestList).toBe(4);
  });

  it('measures introspection by its own depth and nested type lists, not by the schema depth limit', () => {
    const standard = measure(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }));
    const nested = measure(introspectionNest());

    expect(limitProblems(standard, DEFAULT_LIMITS)).toEqual([]);
    expect(standard.depth).toBe(0);
    expect(nested.introspectionLists).toBe(4);
    expect(limitProblems(nested, DEFAULT_LIMITS).join()).toContain('nests 4 introspection lists');
  });

  it('ends the walk at a fragment spread inside itself (validation refuses the cycle)', () => {
    expect(measure('query Q { sites { ...A } } fragment A on Site { id ...B } fragment B on Site { name ...A }').fields).toBe(3);
  });
});

describe('the document reader', () => {
  it('refuses more tokens than allowed before parsing, as a parse failure', () => {
    const reader = new DocumentReader({ maxTokens: 10, maxNesting: 100, maxEntries: 10, maxBytes: 10_000 });

    expect(() => reader.read('{ a b c d e f g h i j k }')).toThrow(expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED', message: expect.stringContaining('more than 10 tokens') }));
  });

  it('refuses nesting beyond its bound without recursing into it', () => {
    const reader = new DocumentReader({ maxTokens: 1_000_000, maxNesting: 128, maxEntries: 10, maxBytes: 10_000 });

    expect(() => reader.read(`{${'a {'.repeat(50_000)} b ${'}'.repeat(50_001)}`)).toThrow(expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED', message: expect.stringContaining('nested too deeply') }));
  });

  it('returns the document it parsed before for the same text, and forgets the least recently used first', () => {
    const reader = new DocumentReader({ maxTokens: 1_000, maxNesting: 100, maxEntries: 2, maxBytes: 10_000 });
    const first = reader.read('{ a }');
    reader.read('{ b }');
    expect(reader.read('{ a }')).toBe(first);
    reader.read('{ c }');

    expect(reader.read('{ a }')).toBe(first);
    expect(reader.read('{ b }')).not.toBe(reader.read('{ c }'));
  });

  it('says what is wrong with text that does not parse, in the parser’s words', () => {
    expect(() => new DocumentReader().read('{ a ')).toThrow(expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED', message: expect.stringMatching(/^Syntax Error/) }));
  });
});
