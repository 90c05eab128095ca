import { GRAPHQL_RESPONSE_TYPE, JSON_TYPE, answerType, errorAnswer, refusal } from '../../../src/server/errors/error-answer';

describe('the error answer', () => {
  it.each([
    ['', JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/json', JSON_TYPE],
    ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
    ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
    ['application/json, application/graphql-response+json;q=0.5', JSON_TYPE],
  ])('answers Accept "%s" with %s', (accept, type) => {
    expect(answerType(accept)).toBe(type);
  });

  it('answers a document error 200 to an application/json client and 400 to a graphql-response client, 400 in its extensions either way', () => {
    const refused = refusal('GRAPHQL_VALIDATION_FAILED', 'too deep');

    const legacy = errorAnswer(refused, { accept: 'application/json' });
    const modern = errorAnswer(refused, { accept: 'application/graphql-response+json' });

    expect([legacy.status, modern.status]).toEqual([200, 400]);
    expect(JSON.parse(String(legacy.body))).toEqual({
      errors: [{ message: 'too deep', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'GATEWAY', retryable: false } }],
    });
  });

  it('keeps a refusal of the request itself at its status, with the headers it needs', () => {
    const answer = errorAnswer(refusal('METHOD_NOT_ALLOWED'), { accept: 'application/json', headers: [['allow', 'POST']] });

    expect(answer.status).toBe(405);
    expect(answer.headers).toEqual([['content-type', JSON_TYPE], ['allow', 'POST']]);
  });

  it('never lets a PEM block out in a message', () => {
    const answer = errorAnswer(refusal('BAD_USER_INPUT', 'bad: -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'));

    expect(String(answer.body)).not.toContain('MIIE');
    expect(String(answer.body)).toContain('[redacted PEM]');
  });
});
