import { type GraphQLAnswer } from './gateway';

/** What every error's extensions hold (docs/ARCHITECTURE.md, How errors travel). */
export interface ErrorExtensions {
  code: string;
  category: string;
  httpStatus: number;
  provider: 'ESA' | 'SLB' | 'GATEWAY';
  action?: string;
  requestId?: string;
  retryable: boolean;
}

type AnswerError = NonNullable<GraphQLAnswer<unknown>['errors']>[number];

/** An upstream RequestId as the emulator and the clouds write them. */
export const REQUEST_ID = expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i) as unknown as string;

/** The answer's only error; fails when there is none or more than one. */
export function onlyError(answer: GraphQLAnswer<unknown>): AnswerError {
  expect(answer.errors?.map((error) => error.extensions?.code)).toHaveLength(1);
  return (answer.errors ?? [])[0] as AnswerError;
}

/** The error at `path`; fails when no error has that path. */
export function errorAt(answer: GraphQLAnswer<unknown>, path: ReadonlyArray<string | number>): AnswerError {
  const found = answer.errors?.find((error) => JSON.stringify(error.path) === JSON.stringify(path));
  expect({ path, found: found !== undefined }).toEqual({ path, found: true });
  return found as AnswerError;
}

/**
 * Nothing internal in a raw answer: no private key, no stack frame, no signed upstream URL, no
 * access key secret.
 */
export function expectNothingLeaks(text: string, secrets: readonly string[] = []): void {
  for (const needle of ['PRIVATE KEY', '    at ', 'Signature=', 'emulator-secret', ...secrets]) {
    expect({ needle, found: text.includes(needle) }).toEqual({ needle, found: false });
  }
}

/** The `n`-th certificate block of a PEM chain, from 0. */
export function pemBlock(chain: string, n: number): string {
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  return blocks[n] ?? '';
}

export function pemBlockCount(chain: string): number {
  return (chain.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
}

/** Whole days from `from` to `to`, rounded down, as ESA counts ValidityDays. */
export function wholeDays(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/** openssl's signature algorithm names, in the Go crypto/x509 naming ESA reports. */
export const ESA_SIGNATURE_ALGORITHMS: Record<string, string> = {
  sha256WithRSAEncryption: 'SHA256-RSA',
  sha384WithRSAEncryption: 'SHA384-RSA',
  'ecdsa-with-SHA256': 'ECDSA-SHA256',
  'ecdsa-with-SHA384': 'ECDSA-SHA384',
};
