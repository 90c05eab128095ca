import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type StoredCertificate } from '../state/records';
import { type CertificateAuthority } from './certificate-authority';
import { parseCertificate, type CertificateFacts } from './certificate-facts';
import * as der from './der';
import { pemBlocks } from './pem';
import { DAY_MS, isoSeconds } from './time-format';
import { x509 } from './x509';

/** What differs between the certificates of one estate; everything else comes from the template. */
export interface BulkLeaf {
  /** Big-endian serial bytes as hex; the first byte below 0x80 keeps the INTEGER positive. */
  serialHex: string;
  commonName: string;
  dnsNames: string[];
  /** Whole seconds: DER times carry no fractions. */
  notBefore: Date;
  notAfter: Date;
}

const ECDSA_WITH_SHA256 = der.sequence(der.oid('1.2.840.10045.4.3.2'));

/**
 * Issues many server certificates quickly from one ECDSA CA and one shared leaf key: the parts every
 * certificate shares are encoded once, each certificate costs one P-256 signature and a few buffer
 * concatenations, and its facts are known from its inputs instead of being parsed back. The first
 * certificate is parsed anyway and compared with the facts computed for it, so the two can never
 * silently disagree. Extensions are those of `CertificateAuthority.issue` for a server certificate.
 */
export class BulkIssuer {
  private readonly signingKey: KeyObject;
  private readonly issuerName: Buffer;
  private readonly publicKeyInfo: Buffer;
  private readonly fixedExtensions: { head: Buffer[]; authorityKeyIdentifier: Buffer };
  private readonly issuerFacts: Pick<CertificateFacts, 'issuer' | 'issuerCommonName'>;
  private readonly chainPem: string;
  private checked = false;

  constructor(authority: CertificateAuthority, leafPublicKeyDer: ArrayBuffer) {
    if (authority.record.keyAlgorithm !== 'ECDSA') throw new Error('The bulk issuer signs with an ECDSA authority.');
    const caCertificate = new x509.X509Certificate(authority.record.certificatePem);
    const caKeyId = caCertificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    if (!caKeyId) throw new Error('The authority certificate has no subject key identifier.');
    this.signingKey = createPrivateKey(authority.record.privateKeyPem);
    this.issuerName = Buffer.from(caCertificate.subjectName.toArrayBuffer());
    this.publicKeyInfo = Buffer.from(leafPublicKeyDer);
    const issuerCommonName = caCertificate.subjectName.getField('CN')[0] ?? '';
    this.issuerFacts = { issuer: caCertificate.subjectName.getField('O')[0] ?? issuerCommonName, issuerCommonName };
    this.chainPem = pemBlocks(authority.chainPem)
      .map((block) => block.text)
      .join('');
    this.fixedExtensions = {
      head: [
        extension('2.5.29.19', true, der.sequence()),
        // digitalSignature (bit 0) and keyEncipherment (bit 2): 0b101 followed by five unused bits.
        extension('2.5.29.15', true, der.bitString(Buffer.from([0xa0]), 5)),
        extension('2.5.29.37', false, der.sequence(der.oid('1.3.6.1.5.5.7.3.1'))),
        extension('2.5.29.14', false, der.octetString(subjectKeyIdentifier(leafPublicKeyDer))),
      ],
      authorityKeyIdentifier: extension('2.5.29.35', false, der.sequence(der.implicitPrimitive(0, Buffer.from(caKeyId, 'hex')))),
    };
  }

  issue(leaf: BulkLeaf): StoredCertificate {
    const tbs = der.sequence(
      der.explicit(0, der.smallInteger(2)),
      der.unsignedInteger(Buffer.from(leaf.serialHex, 'hex')),
      ECDSA_WITH_SHA256,
      this.issuerName,
      der.sequence(der.time(leaf.notBefore), der.time(leaf.notAfter)),
      der.sequence(der.set(der.sequence(der.oid('2.5.4.3'), der.utf8String(leaf.commonName)))),
      this.publicKeyInfo,
      der.explicit(3, der.sequence(...this.extensionsFor(leaf.dnsNames))),
    );
    const certificate = der.sequence(tbs, ECDSA_WITH_SHA256, der.bitString(sign('sha256', tbs, this.signingKey)));
    const stored = { pem: pemOf(certificate) + this.chainPem, facts: this.factsOf(leaf, certificate) };
    if (!this.checked) {
      this.checked = true;
      const parsed = parseCertificate(stored.pem).facts;
      if (!isDeepStrictEqual(parsed, stored.facts)) {
        throw new Error(`Bulk certificate facts differ from the certificate: ${JSON.stringify({ parsed, computed: stored.facts })}`);
      }
    }
    return stored;
  }

  private extensionsFor(dnsNames: string[]): Buffer[] {
    const { head, authorityKeyIdentifier } = this.fixedExtensions;
    if (dnsNames.length === 0) return [...head, authorityKeyIdentifier];
    const names = der.sequence(...dnsNames.map((name) => der.implicitPrimitive(2, Buffer.from(name, 'ascii'))));
    return [...head, extension('2.5.29.17', false, names), authorityKeyIdentifier];
  }

  /** The same values `parseCertificate` would read from the certificate (checked on the first one). */
  private factsOf(leaf: BulkLeaf, certificate: Buffer): CertificateFacts {
    return {
      commonName: leaf.commonName,
      subjectAlternativeNames: [...leaf.dnsNames],
      ...this.issuerFacts,
      serialNumber: leaf.serialHex.toLowerCase(),
      fingerprintSha256: createHash('sha256').update(certificate).digest('hex'),
      fingerprintSha1: (createHash('sha1').update(certificate).digest('hex').match(/../g) ?? []).join(':'),
      notBefore: isoSeconds(leaf.notBefore),
      notAfter: isoSeconds(leaf.notAfter),
      signatureAlgorithm: 'ECDSA-SHA256',
      publicKeyAlgorithm: 'ECDSA',
      validityDays: Math.floor((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY_MS),
    };
  }
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.booleanTrue()] : []), der.octetString(value));
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits (the EC point). */
function subjectKeyIdentifier(publicKeyDer: ArrayBuffer): Buffer {
  const jwk = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  return createHash('sha1').update(point).digest();
}

function pemOf(certificate: Buffer): string {
  const lines = certificate.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
