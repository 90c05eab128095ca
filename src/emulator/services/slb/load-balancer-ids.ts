import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The prefixes the docs' example ids carry per region (`lb-bp1…` in cn-hangzhou, `lb-uf6…` in cn-shanghai). */
const REGION_PREFIXES: Record<string, string> = { 'cn-hangzhou': 'bp1', 'cn-shanghai': 'uf6' };

function letters(count: number): string {
  return [...randomBytes(count)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** `lb-bp1b6c719dfa08exfuca5`: `lb-`, a region prefix, then 20 lowercase letters and digits. */
export function loadBalancerId(regionId: string): string {
  return `lb-${REGION_PREFIXES[regionId] ?? letters(3)}${letters(20)}`;
}

/** `de-bp1rp7ta191dv`: `de-`, a region prefix, then 12 lowercase letters and digits. */
export function domainExtensionId(regionId: string): string {
  return `de-${REGION_PREFIXES[regionId] ?? letters(3)}${letters(12)}`;
}
