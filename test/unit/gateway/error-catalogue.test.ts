import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { COMMON_CODES, ESA_CODES, GATEWAY_CODES, SLB_CODES, STS_CODES } from '../../../src/domain/errors/documented-codes';
import { ERROR_CATALOGUE, isKnownCode, type ErrorCategory } from '../../../src/domain/errors/error-catalogue';
import { GatewayError } from '../../../src/domain/errors/gateway-error';

/**
 * The API documents the project is built from sit beside the repository (shared/api-docs); set
 * API_DOCS_DIR to read them from elsewhere.
 */
const DOCS = process.env.API_DOCS_DIR ?? resolve(__dirname, '../../../../shared/api-docs');

interface DocumentedError {
  file: string;
  status: number;
  code: string;
  /** The rest of the row: the message, run together with the description. */
  text: string;
}

function readDoc(name: string): string {
  const path = join(DOCS, name);
  if (!existsSync(path)) throw new Error(`The API documents are not at ${DOCS}; set API_DOCS_DIR to the folder holding ${name}.`);
  return readFileSync(path, 'utf8');
}

/** The seed pages by product, as the folder's README table lists them: `| 000_x.txt | ESA 2024-09-10 | Action |`. */
function seedPages(): Array<{ file: string; product: 'ESA' | 'SLB' }> {
  return [...readDoc('README.md').matchAll(/^\| (\d{3}_\w+\.txt) \| (ESA|SLB) /gm)].map((match) => ({
    file: match[1] as string,
    product: match[2] as 'ESA' | 'SLB',
  }));
}

/**
 * Error table rows. ESA pages run the columns together: `400InvalidParameter.SiteIdFailed to query...`;
 * a code has no spaces, so the first word of the row is the code followed by the message's first
 * (capitalised) word. SLB's page separates them: `400 InvalidParameter The specified...`.
 */
function errorRows(file: string, product: 'ESA' | 'SLB'): DocumentedError[] {
  const rows = product === 'ESA' ? /^(\d{3})([A-Z][\w.]*?)([A-Z][a-z]* .*)$/gm : /^(\d{3}) ([A-Z][\w.]+) (.*)$/gm;
  return [...readDoc(file).matchAll(rows)].map((match) => ({
    file,
    status: Number(match[1]),
    code: match[2] as string,
    text: match[3] as string,
  }));
}

/** REFERENCE.md 5.2 / 5.3 rows: `| \`A.B\` / \`.C\` | **404** (...) | message |`; a `.C` continues `A`. */
function referenceRows(section: string): Array<{ code: string; status: number }> {
  const text = readDoc('REFERENCE.md');
  const start = text.indexOf(`### ${section} `);
  const end = text.indexOf('\n### ', start + 1);
  const body = text.slice(start, end);
  return [...body.matchAll(/^\| (`[^|]+) \| ([^|]+) \|/gm)].flatMap((match) => {
    const status = Number(/\d{3}/.exec(match[2] as string)?.[0]);
    const codes = [...(match[1] as string).matchAll(/`([\w.]+)`/g)].map((code) => code[1] as string);
    const first = codes[0] ?? '';
    const stem = first.slice(0, first.indexOf('.') < 0 ? first.length : first.indexOf('.'));
    return codes.map((code) => ({ code: code.startsWith('.') ? `${stem}${code}` : code, status }));
  });
}

/**
 * CI and this project's machines have the documents beside the clone; elsewhere the document checks
 * are skipped, visibly, and the compiler still holds the catalogue to documented-codes.ts.
 */
const DOCS_PRESENT = existsSync(join(DOCS, 'README.md'));
const docIt = DOCS_PRESENT ? it : it.skip;
if (!DOCS_PRESENT) process.stdout.write(`error catalogue: API documents not found at ${DOCS}; set API_DOCS_DIR to check the catalogue against them\n`);
const pages = DOCS_PRESENT ? seedPages() : [];
const esaRows = pages.filter((page) => page.product === 'ESA').flatMap((page) => errorRows(page.file, 'ESA'));
const slbRows = pages.filter((page) => page.product === 'SLB').flatMap((page) => errorRows(page.file, 'SLB'));

describe('the error catalogue', () => {
  docIt('reads the error table of each of the five seed pages', () => {
    expect(pages.map((page) => page.product).sort()).toEqual(['ESA', 'ESA', 'ESA', 'ESA', 'SLB']);
    for (const page of pages) expect({ file: page.file, rows: errorRows(page.file, page.product).length > 0 }).toEqual({ file: page.file, rows: true });
    expect(esaRows.length).toBeGreaterThanOrEqual(30);
  });

  docIt.each(esaRows.map((row) => [row.code, row.status, row.file] as const))(
    'holds ESA code %s with its documented HTTP status %i (%s)',
    (code, status) => {
      expect(ESA_CODES).toContain(code);
      expect(isKnownCode(code)).toBe(true);
      expect(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].httpStatus).toBe(status);
    },
  );

  docIt.each(slbRows.map((row) => [row.code, row.status, row.file] as const))('holds SLB code %s with its documented HTTP status %i (%s)', (code, status) => {
    expect(SLB_CODES).toContain(code);
    expect(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].httpStatus).toBe(status);
  });

  docIt('lists as ESA codes exactly the codes the ESA pages document', () => {
    expect([...ESA_CODES].sort()).toEqual([...new Set(esaRows.map((row) => row.code))].sort());
  });

  docIt('speaks each documented code in the words of one of its documented rows', () => {
    for (const code of new Set(esaRows.map((row) => row.code))) {
      const message = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].message;
      const rows = esaRows.filter((row) => row.code === code).map((row) => row.text);
      expect({ code, documented: rows.some((text) => text.startsWith(message)) }).toEqual({ code, documented: true });
    }
  });

  docIt.each([
    ['5.2', COMMON_CODES],
    ['5.3', SLB_CODES],
  ] as const)('holds every code of REFERENCE.md section %s with its status', (section, listed) => {
    const rows = referenceRows(section);
    expect(rows.length).toBeGreaterThan(10);
    for (const { code, status } of rows) {
      expect({ code, listed: (listed as readonly string[]).includes(code) }).toEqual({ code, listed: true });
      expect({ code, status: ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].httpStatus }).toEqual({ code, status });
    }
  });

  it('has an entry for every listed code and no entry for a code no list names', () => {
    const listed = new Set<string>([...ESA_CODES, ...SLB_CODES, ...COMMON_CODES, ...STS_CODES, ...GATEWAY_CODES]);
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...listed].sort());
  });

  it('holds the STS codes of a role that cannot be assumed as STS codes, none of them worth a retry', () => {
    for (const code of STS_CODES) {
      expect({ code, source: ERROR_CATALOGUE[code].source, retryable: ERROR_CATALOGUE[code].retryable }).toEqual({ code, source: 'STS', retryable: false });
    }
  });

  it('gives every category one retryable flag: throttling and unavailability are worth a retry, the rest are not', () => {
    const flags = new Map<ErrorCategory, Set<boolean>>();
    for (const spec of Object.values(ERROR_CATALOGUE)) flags.set(spec.category, (flags.get(spec.category) ?? new Set()).add(spec.retryable));
    expect(Object.fromEntries([...flags].map(([category, values]) => [category, [...values]]))).toEqual({
      BAD_USER_INPUT: [false],
      NOT_FOUND: [false],
      UNAUTHENTICATED: [false],
      FORBIDDEN: [false],
      QUOTA_EXCEEDED: [false],
      THROTTLED: [true],
      UPSTREAM_UNAVAILABLE: [true],
      INTERNAL_SERVER_ERROR: [false],
    });
  });

  it('gives a code no document lists a category from its HTTP status', () => {
    const unknown = (httpStatus: number) => {
      const error = new GatewayError('Brand.NewCode', 'A code the cloud added later.', { provider: 'ESA', httpStatus });
      return [error.category, error.httpStatus, error.retryable];
    };
    expect([400, 401, 403, 404, 429, 500, 503].map(unknown)).toEqual([
      ['BAD_USER_INPUT', 400, false],
      ['UNAUTHENTICATED', 401, false],
      ['FORBIDDEN', 403, false],
      ['NOT_FOUND', 404, false],
      ['THROTTLED', 429, true],
      ['UPSTREAM_UNAVAILABLE', 500, true],
      ['UPSTREAM_UNAVAILABLE', 503, true],
    ]);
  });

  it('keeps the status the upstream answered over the documented one', () => {
    const error = new GatewayError('SiteNotFound', 'The specified site is not found.', { provider: 'ESA', httpStatus: 404, action: 'GetSite' });
    expect([error.code, error.category, error.httpStatus]).toEqual(['SiteNotFound', 'NOT_FOUND', 404]);
    expect(GatewayError.refused('SiteNotFound', 'ESA').httpStatus).toBe(400);
  });
});
