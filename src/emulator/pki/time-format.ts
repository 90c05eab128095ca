/** The two time formats the ESA and SLB APIs use on the wire. */

/** `2024-12-01T02:12:49Z`: validity dates and SLB times. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2022-06-24 07:48:51` (UTC): ESA CreateTime / UpdateTime, as its documentation shows them. */
export function esaDateTime(date: Date): string {
  return isoSeconds(date).replace('T', ' ').replace('Z', '');
}

export const DAY_MS = 86_400_000;
