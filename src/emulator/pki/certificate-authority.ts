import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { x509 } from './x509';
import { generateKeys, pkcs8Pem, type KeyAlgorithm } from './key-pairs';
import { DAY_MS } from './time-format';

/** A CA as persisted in emulator state: its certificate and its own key (the emulator's, never a user's). */
export interface AuthorityRecord {
  certificatePem: string;
  privateKeyPem: string;
  keyAlgorithm: KeyAlgorithm;
  /** What a server sends after a leaf this CA issued: this CA and its parents, without the root. */
  chainPem: string;
}

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  country?: string;
}

export interface IssueRequest {
  subject: DistinguishedName;
  dnsNames?: string[];
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: ArrayBuffer;
  notBefore: Date;
  validityDays: number;
  usage: 'server' | 'client';
}

const SIGNING: Record<KeyAlgorithm, { import: RsaHashedImportParams | EcKeyImportParams; sign: Algorithm | EcdsaParams }> = {
  RSA: {
    import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ECDSA: {
    import: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  },
};

/** A certificate authority that really signs, with a key generated for it. */
export class CertificateAuthority {
  private signingKey?: Promise<CryptoKey>;
  private readonly certificate: x509.X509Certificate;

  constructor(readonly record: AuthorityRecord) {
    this.certificate = new x509.X509Certificate(record.certificatePem);
  }

  /** A self-signed root, or an intermediate signed by `parent`. */
  static async create(options: {
    name: DistinguishedName;
    keyAlgorithm: KeyAlgorithm;
    notBefore: Date;
    validityDays: number;
    parent?: CertificateAuthority;
  }): Promise<CertificateAuthority> {
    const keys = await generateKeys(options.keyAlgorithm);
    const privateKeyPem = pkcs8Pem(keys.privateKey);
    const extensions = [
      new x509.BasicConstraintsExtension(true, options.parent ? 0 : undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKeyDer),
    ];
    let certificatePem: string;
    if (options.parent) {
      certificatePem = await options.parent.sign({
        subject: jsonName(options.name),
        publicKeyDer: keys.publicKeyDer,
        notBefore: options.notBefore,
        validityDays: options.validityDays,
        extensions,
      });
    } else {
      const signingKey = await importSigningKey(privateKeyPem, options.keyAlgorithm);
      const publicKey = await webcrypto.subtle.importKey('spki', keys.publicKeyDer, SIGNING[options.keyAlgorithm].import, true, ['verify']);
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serial(),
        name: jsonName(options.name),
        notBefore: options.notBefore,
        notAfter: new Date(options.notBefore.getTime() + options.validityDays * DAY_MS),
        signingAlgorithm: SIGNING[options.keyAlgorithm].sign,
        keys: { privateKey: signingKey, publicKey: publicKey as CryptoKey },
        extensions,
      });
      certificatePem = cert.toString('pem') + '\n';
    }
    return new CertificateAuthority({
      certificatePem,
      privateKeyPem,
      keyAlgorithm: options.keyAlgorithm,
      chainPem: options.parent ? certificatePem + options.parent.record.chainPem : '',
    });
  }

  /** Issues an end-entity certificate; returns the leaf PEM alone. */
  async issue(request: IssueRequest): Promise<string> {
    const dnsNames = request.dnsNames ?? [];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(request.publicKeyDer),
    ];
    if (dnsNames.length > 0) {
      extensions.push(new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))));
    }
    return this.sign({
      subject: jsonName(request.subject),
      publicKeyDer: request.publicKeyDer,
      notBefore: request.notBefore,
      validityDays: request.validityDays,
      extensions,
    });
  }

  get chainPem(): string {
    return this.record.chainPem;
  }

  private async sign(options: {
    subject: x509.JsonName;
    publicKeyDer: ArrayBuffer;
    notBefore: Date;
    validityDays: number;
    extensions: x509.Extension[];
  }): Promise<string> {
    this.signingKey ??= importSigningKey(this.record.privateKeyPem, this.record.keyAlgorithm);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: options.subject,
      issuer: this.certificate.subjectName,
      notBefore: options.notBefore,
      notAfter: new Date(options.notBefore.getTime() + options.validityDays * DAY_MS),
      signingAlgorithm: SIGNING[this.record.keyAlgorithm].sign,
      publicKey: options.publicKeyDer,
      signingKey: await this.signingKey,
      extensions: [...options.extensions, await x509.AuthorityKeyIdentifierExtension.create(this.certificate.publicKey)],
    });
    return cert.toString('pem') + '\n';
  }
}

async function importSigningKey(privateKeyPem: string, algorithm: KeyAlgorithm): Promise<CryptoKey> {
  const der = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  return (await webcrypto.subtle.importKey('pkcs8', der, SIGNING[algorithm].import, false, ['sign'])) as CryptoKey;
}

function jsonName(name: DistinguishedName): x509.JsonName {
  const entries: x509.JsonName = [];
  if (name.country) entries.push({ C: [name.country] });
  if (name.organization) entries.push({ O: [name.organization] });
  entries.push({ CN: [name.commonName] });
  return entries;
}

/** 16 random bytes, first bit cleared so the DER integer stays positive (RFC 5280 4.1.2.2). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x10;
  return bytes.toString('hex');
}
