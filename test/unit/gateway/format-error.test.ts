import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { redactPem } from '../../../src/domain/redaction';
import { formatError } from '../../../src/server/errors/format-error';
import { makeCertificate } from '../../helpers/openssl';

/** An error as Apollo hands it to formatError: the GraphQL error a resolver's throw became, and its JSON. */
function fromResolver(thrown: Error, extensions: Record<string, unknown> = {}): [GraphQLFormattedError, GraphQLError] {
  const error = new GraphQLError(thrown.message, { path: ['certificate'], originalError: thrown, extensions });
  const formatted = { ...error.toJSON(), locations: [{ line: 1, column: 3 }] };
  return [formatted, error];
}

const PRODUCTION = { production: true };
const DEVELOPMENT = { production: false };

describe('formatError', () => {
  it('turns an upstream GatewayError into the contract extensions, keeping path and locations', () => {
    const upstream = new GatewayError('Certificate.NotFound', 'The specified certificate does not exist.', {
      provider: 'ESA',
      action: 'GetCertificate',
      requestId: '0AEDAF20-4DDF-4165-8750-47FF9C1929C9',
      httpStatus: 404,
    });

    expect(formatError(...fromResolver(upstream), PRODUCTION)).toEqual({
      message: 'The specified certificate does not exist.',
      path: ['certificate'],
      locations: [{ line: 1, column: 3 }],
      extensions: {
        code: 'Certificate.NotFound',
        category: 'NOT_FOUND',
        httpStatus: 404,
        provider: 'ESA',
        action: 'GetCertificate',
        requestId: '0AEDAF20-4DDF-4165-8750-47FF9C1929C9',
        retryable: false,
      },
    });
  });

  it('leaves action and requestId out of an error no cloud answered', () => {
    const refused = GatewayError.refused('InvalidParameter', 'GATEWAY', 'The certificate id is not one this gateway issued.');
    const [formatted, error] = fromResolver(refused);
    expect(formatError(formatted, error, PRODUCTION).extensions).toEqual({
      code: 'InvalidParameter',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'GATEWAY',
      retryable: false,
    });
  });

  it('marks throttling and an unavailable upstream retryable', () => {
    const throttled = new GatewayError('Throttling.User', 'Request was denied due to user flow control.', { provider: 'SLB', action: 'DescribeServerCertificates', httpStatus: 400 });
    const unavailable = new GatewayError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', { provider: 'ESA', action: 'ListSites', httpStatus: 503 });
    expect(formatError(...fromResolver(throttled), PRODUCTION).extensions).toMatchObject({ category: 'THROTTLED', retryable: true, httpStatus: 400 });
    expect(formatError(...fromResolver(unavailable), PRODUCTION).extensions).toMatchObject({ category: 'UPSTREAM_UNAVAILABLE', retryable: true, httpStatus: 503 });
  });

  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND'])(
    "keeps Apollo's %s code, as a BAD_USER_INPUT error of the gateway",
    (code) => {
      const formatted = { message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 3 }], extensions: { code } };
      expect(formatError(formatted, new GraphQLError(formatted.message, { extensions: { code } }), PRODUCTION)).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code, category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'GATEWAY', retryable: false },
      });
    },
  );

  it('masks an unexpected error in production as "Internal server error", without its stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'ServerCertificates') at /srv/app/providers/slb.js");
    const [formatted, error] = fromResolver(bug, { code: 'INTERNAL_SERVER_ERROR', stacktrace: (bug.stack ?? '').split('\n') });

    const masked = formatError(formatted, error, PRODUCTION);

    expect(masked).toEqual({
      message: 'Internal server error',
      path: ['certificate'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', category: 'INTERNAL_SERVER_ERROR', httpStatus: 500, provider: 'GATEWAY', retryable: false },
    });
    expect(JSON.stringify(masked)).not.toMatch(/ {4}at |ServerCertificates|\/srv\//);
  });

  it('shows an unexpected error its message in development, still without a stack', () => {
    const bug = new Error('The provider answered fewer results than asked.');
    const [formatted, error] = fromResolver(bug, { code: 'INTERNAL_SERVER_ERROR', stacktrace: (bug.stack ?? '').split('\n') });

    const shown = formatError(formatted, error, DEVELOPMENT);

    expect(shown.message).toBe('The provider answered fewer results than asked.');
    expect(shown.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', category: 'INTERNAL_SERVER_ERROR', httpStatus: 500, provider: 'GATEWAY', retryable: false });
    expect(JSON.stringify(shown)).not.toContain('    at ');
  });

  it('never lets a private key out in a message, whoever wrote the message', () => {
    const { certificatePem, privateKeyPem } = makeCertificate({ commonName: 'www.example.com' });
    // graphql-js describes a variable it cannot coerce by printing the object, strings JSON-escaped.
    const coercion = `Variable "$input" got invalid value { certificate: ${JSON.stringify(certificatePem)}, privateKey: ${JSON.stringify(privateKeyPem)} }; Field "siteId" of required type "ID!" was not provided.`;
    const apollo = formatError({ message: coercion, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError(coercion), PRODUCTION);
    const gateway = formatError(...fromResolver(new GatewayError('InvalidParameter', `Not accepted: ${privateKeyPem}`, { provider: 'ESA' })), PRODUCTION);
    const unexpected = formatError(...fromResolver(new Error(`failed on ${privateKeyPem}`), { code: 'INTERNAL_SERVER_ERROR' }), DEVELOPMENT);

    for (const answer of [apollo, gateway, unexpected]) {
      expect(answer.message).toContain('[redacted PEM]');
      expect(JSON.stringify(answer)).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    }
    expect(apollo.message).toBe('Variable "$input" got invalid value { certificate: "[redacted PEM]", privateKey: "[redacted PEM]" }; Field "siteId" of required type "ID!" was not provided.');
  });

  it('redacts a PEM cut off before its end line, and leaves text without PEM as it is', () => {
    expect(redactPem('got "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEI')).toBe('got "[redacted PEM]');
    expect(redactPem('The specified site is not found.')).toBe('The specified site is not found.');
  });
});
