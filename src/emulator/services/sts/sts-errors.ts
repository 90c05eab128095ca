import { CommonErrors, EmulatorError } from '../../protocol/emulator-error';

/**
 * STS AssumeRole's documented errors, worded as its error table words them
 * (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
 * A missing required parameter gets the gateway's common MissingParameter, as in every RPC product.
 */
export const StsErrors = {
  missingParameter: (name: string) => CommonErrors.missingParameter(name),
  roleArn: () => new EmulatorError('InvalidParameter.RoleArn', 400, 'The parameter RoleArn is wrongly formed.'),
  roleSessionName: () => new EmulatorError('InvalidParameter.RoleSessionName', 400, 'The parameter RoleSessionName is wrongly formed.'),
  durationSeconds: () => new EmulatorError('InvalidParameter.DurationSeconds', 400, 'The Min/Max value of DurationSeconds is 15min/1hr.'),
  externalId: () => new EmulatorError('InvalidParameter.ExternalId', 400, 'The parameter ExternalId is wrongly formed.'),
  policyGrammar: () => new EmulatorError('InvalidParameter.PolicyGrammar', 400, 'The parameter Policy has not passed grammar check.'),
  policySize: () => new EmulatorError('InvalidParameter.PolicySize', 400, 'The size of Policy must be smaller than 2048 bytes.'),
  /** The page gives one message for both causes: no permission to call AssumeRole, and a role that does not trust the caller. */
  noPermission: () => new EmulatorError('NoPermission', 403, 'You are not authorized to do this action. You should be authorized by RAM.'),
  roleNotFound: () => new EmulatorError('EntityNotExist.Role', 404, 'The specified Role not exists.'),
} as const;
