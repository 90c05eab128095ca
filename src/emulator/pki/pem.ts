/** PEM text handling shared by the certificate, key and CSR readers. */

/** Inputs larger than this are refused before any parsing: no real certificate chain comes close. */
export const MAX_PEM_BYTES = 64 * 1024;

export class PemError extends Error {
  constructor(
    readonly subject: 'certificate' | 'privateKey' | 'csr',
    readonly reason: 'empty' | 'tooLarge' | 'malformed' | 'encrypted' | 'badSignature' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'PemError';
  }
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

export interface PemBlock {
  label: string;
  /** The whole block, normalised to "\n" line ends. */
  text: string;
  headers: string[];
}

/** Every well-formed PEM block in `input`, in order. Text around blocks is ignored, as openssl does. */
export function pemBlocks(input: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of input.matchAll(BLOCK)) {
    const label = match[1] ?? '';
    const bodyLines = (match[2] ?? '').split(/\r?\n/);
    const headers = bodyLines.filter((line) => line.includes(':'));
    const base64 = bodyLines.filter((line) => !line.includes(':')).join('');
    blocks.push({
      label,
      headers,
      text: `-----BEGIN ${label}-----\n${[...headers, ...(headers.length ? [''] : []), ...chunk(base64.trim(), 64)].join('\n')}\n-----END ${label}-----\n`,
    });
  }
  return blocks;
}

export function checkSize(input: string, subject: PemError['subject']): void {
  if (input.trim() === '') throw new PemError(subject, 'empty', `The ${subject} is empty.`);
  if (Buffer.byteLength(input) > MAX_PEM_BYTES) {
    throw new PemError(subject, 'tooLarge', `The ${subject} is larger than ${MAX_PEM_BYTES} bytes.`);
  }
}

function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
