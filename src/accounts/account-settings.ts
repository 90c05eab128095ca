/**
 * The `ACCOUNTS` setting: the Alibaba Cloud accounts the gateway reads, each signing with its own
 * access key or with a RAM role it assumes through STS.
 */
export interface AccountSpec {
  id: string;
  name?: string;
  /** The account's own key; for a role account, the key that assumes the role (else the default credentials do). */
  accessKey?: { accessKeyId: string; accessKeySecret: string };
  role?: { arn: string; sessionName: string; durationSeconds: number; externalId?: string };
  esaEndpoint?: string;
  slbRegions?: string[];
}

const FIELDS = [
  'id',
  'name',
  'accessKeyId',
  'accessKeySecret',
  'roleArn',
  'roleSessionName',
  'durationSeconds',
  'externalId',
  'esaEndpoint',
  'slbRegions',
] as const;
type Field = (typeof FIELDS)[number];
const ROLE_FIELDS = ['roleSessionName', 'durationSeconds', 'externalId'] as const;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME = /^[^\p{Cc}]{1,128}$/u;
/** Printable ASCII without spaces: what a key id and secret are made of, so a pasted newline is caught here, not at the first signature. */
const KEY_PART = /^[\x21-\x7e]{1,256}$/;
/** RAM: `acs:ram::<account id>:role/<role name>`; a role name is 1 to 64 letters, digits, `.`, `-` and `_`. */
const ROLE_ARN = /^acs:ram::\d{1,32}:role\/[A-Za-z0-9._-]{1,64}$/;
/** STS AssumeRole's RoleSessionName (https://api.alibabacloud.com/api/Sts/2015-04-01/AssumeRole). */
const SESSION_NAME = /^[\w.@-]{2,64}$/;
/** STS AssumeRole's ExternalId: 2 to 1,224 characters of `[\w+=,.@:/-]`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** The same host[:port] rule as ESA_ENDPOINT. */
const ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;
/** The same region id rule as SLB_REGIONS. */
const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;

export const DEFAULT_SESSION_NAME = 'certificate-gateway';
/** STS's own default and upper bound for DurationSeconds; 900 is its lower bound. */
export const DEFAULT_DURATION_SECONDS = 3600;
const MAX_ACCOUNTS = 1000;
const MAX_REGIONS = 100;

/**
 * Parses `ACCOUNTS` JSON; the accounts, or the one line that says what is wrong. The line names the
 * entry (by position, and by id once the id is valid) and the field, and never quotes a key, a
 * secret or any other value: only ids that passed their own check and the names of known fields.
 */
export function parseAccounts(text: string, source: string): AccountSpec[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `${source} must be JSON: [{"id":"prod","accessKeyId":"...","accessKeySecret":"..."}] or [{"id":"shop","roleArn":"acs:ram::<account id>:role/<name>"}].`;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return `${source} must be a non-empty JSON array of accounts.`;
  if (parsed.length > MAX_ACCOUNTS) return `${source} lists more than ${MAX_ACCOUNTS} accounts.`;
  const accounts: AccountSpec[] = [];
  const seen = new Set<string>();
  for (const [index, item] of parsed.entries()) {
    const account = parseAccount(item, `${source}[${index}]`);
    if (typeof account === 'string') return account;
    if (seen.has(account.id)) return `${source} lists the account id "${account.id}" twice.`;
    seen.add(account.id);
    accounts.push(account);
  }
  return accounts;
}

function parseAccount(item: unknown, at: string): AccountSpec | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return `${at} must be an object with an id.`;
  const entry = item as Record<string, unknown>;
  const unknown = Object.keys(entry).find((key) => !(FIELDS as readonly string[]).includes(key));
  // The field's name is quoted only when it is short and plain: a misplaced value may sit in a key.
  if (unknown !== undefined) {
    // Quoted only when it reads as a field name (a letter, then lower-case letters and digits, camelCase):
    // a key or a secret pasted where a field belongs is never printed.
    const shown = /^[a-z][a-z]{1,15}([A-Z][a-z]{1,15}){0,3}$/.test(unknown) ? ` "${unknown}"` : '';
    return `${at} has an unknown field${shown}: the fields are ${FIELDS.join(', ')}.`;
  }
  const get = (field: Field): unknown => (Object.hasOwn(entry, field) ? entry[field] : undefined);

  const id = get('id');
  if (typeof id !== 'string' || !ID.test(id)) return `${at}.id must be 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit.`;
  const where = `${at} ("${id}")`;

  const name = get('name');
  if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) return `${where}.name must be 1 to 128 characters without control characters.`;

  const accessKeyId = get('accessKeyId');
  const accessKeySecret = get('accessKeySecret');
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    return `${where} has ${accessKeyId === undefined ? 'accessKeySecret without accessKeyId' : 'accessKeyId without accessKeySecret'}: set both or neither.`;
  }
  if (accessKeyId !== undefined && (typeof accessKeyId !== 'string' || !KEY_PART.test(accessKeyId))) {
    return `${where}.accessKeyId must be printable characters without spaces.`;
  }
  if (accessKeySecret !== undefined && (typeof accessKeySecret !== 'string' || !KEY_PART.test(accessKeySecret))) {
    return `${where}.accessKeySecret must be printable characters without spaces.`;
  }

  const roleArn = get('roleArn');
  if (roleArn === undefined) {
    const stray = ROLE_FIELDS.find((field) => get(field) !== undefined);
    if (stray) return `${where}.${stray} belongs to a role account: it needs roleArn.`;
    if (accessKeyId === undefined) return `${where} needs accessKeyId and accessKeySecret, or roleArn.`;
  }
  const role = roleArn === undefined ? undefined : parseRole(roleArn, get, where);
  if (typeof role === 'string') return role;

  const esaEndpoint = get('esaEndpoint');
  if (esaEndpoint !== undefined && (typeof esaEndpoint !== 'string' || !ENDPOINT.test(esaEndpoint))) return `${where}.esaEndpoint must be host[:port].`;

  const slbRegions = get('slbRegions');
  if (
    slbRegions !== undefined &&
    (!Array.isArray(slbRegions) || slbRegions.length === 0 || slbRegions.length > MAX_REGIONS || !slbRegions.every((region) => typeof region === 'string' && REGION.test(region)))
  ) {
    return `${where}.slbRegions must list 1 to ${MAX_REGIONS} region ids (["cn-hangzhou","cn-shanghai"]).`;
  }

  return {
    id,
    ...(name !== undefined ? { name: name as string } : {}),
    ...(accessKeyId !== undefined ? { accessKey: { accessKeyId: accessKeyId as string, accessKeySecret: accessKeySecret as string } } : {}),
    ...(role ? { role } : {}),
    ...(esaEndpoint !== undefined ? { esaEndpoint: esaEndpoint as string } : {}),
    ...(slbRegions !== undefined ? { slbRegions: [...new Set(slbRegions as string[])] } : {}),
  };
}

function parseRole(roleArn: unknown, get: (field: Field) => unknown, where: string): NonNullable<AccountSpec['role']> | string {
  if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn)) return `${where}.roleArn must be acs:ram::<account id>:role/<role name>.`;
  const sessionName = get('roleSessionName') === undefined ? DEFAULT_SESSION_NAME : get('roleSessionName');
  if (typeof sessionName !== 'string' || !SESSION_NAME.test(sessionName)) {
    return `${where}.roleSessionName must be 2 to 64 letters, digits, "_", ".", "@" or "-".`;
  }
  const durationSeconds = get('durationSeconds') === undefined ? DEFAULT_DURATION_SECONDS : get('durationSeconds');
  if (typeof durationSeconds !== 'number' || !Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 3600) {
    return `${where}.durationSeconds must be a whole number of seconds from 900 to 3600.`;
  }
  const externalId = get('externalId');
  if (externalId !== undefined && (typeof externalId !== 'string' || !EXTERNAL_ID.test(externalId))) {
    return `${where}.externalId must be 2 to 1224 letters, digits or "_+=,.@:/-".`;
  }
  return { arn: roleArn, sessionName, durationSeconds, ...(externalId !== undefined ? { externalId: externalId as string } : {}) };
}
