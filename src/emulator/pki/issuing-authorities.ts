import { CertificateAuthority, type AuthorityRecord, type DistinguishedName } from './certificate-authority';
import { type KeyAlgorithm } from './key-pairs';

export type IssuerName = 'lets_encrypt' | 'digicert' | 'digicert_ecc';

interface Hierarchy {
  keyAlgorithm: KeyAlgorithm;
  root: DistinguishedName;
  intermediate: DistinguishedName;
}

/**
 * The public CAs behind ESA's free certificates, emulated: a root (marked as the emulator's, so no
 * one mistakes it for the real one) and the intermediate that signs leaves, as the real chains have.
 */
const HIERARCHIES: Record<IssuerName, Hierarchy> = {
  lets_encrypt: {
    keyAlgorithm: 'ECDSA',
    root: { commonName: 'ISRG Root X2 (ESA emulator)', organization: 'Internet Security Research Group', country: 'US' },
    intermediate: { commonName: 'E5', organization: "Let's Encrypt", country: 'US' },
  },
  digicert: {
    keyAlgorithm: 'RSA',
    root: { commonName: 'DigiCert Global Root G2 (ESA emulator)', organization: 'DigiCert Inc', country: 'US' },
    intermediate: { commonName: 'Encryption Everywhere DV TLS CA - G2', organization: 'DigiCert Inc', country: 'US' },
  },
  // Issues the customer certificates of a generated estate (admin/generate-estate.ts): ECDSA, so
  // thousands are signed in a second, where RSA would take ten.
  digicert_ecc: {
    keyAlgorithm: 'ECDSA',
    root: { commonName: 'DigiCert Global Root G3 (ESA emulator)', organization: 'DigiCert Inc', country: 'US' },
    intermediate: { commonName: 'DigiCert Global G3 TLS ECC CA', organization: 'DigiCert Inc', country: 'US' },
  },
};

/** The issuing intermediates, created on first use and kept in state so chains survive restarts. */
export class IssuingAuthorities {
  private readonly ready = new Map<IssuerName, Promise<CertificateAuthority>>();

  constructor(private readonly records: Partial<Record<IssuerName, AuthorityRecord>> = {}) {
    for (const [name, record] of Object.entries(records) as [IssuerName, AuthorityRecord][]) {
      this.ready.set(name, Promise.resolve(new CertificateAuthority(record)));
    }
  }

  get(name: IssuerName, now: Date): Promise<CertificateAuthority> {
    let authority = this.ready.get(name);
    if (!authority) {
      authority = create(HIERARCHIES[name], now).then((created) => {
        this.records[name] = created.record;
        return created;
      });
      authority.catch(() => this.ready.delete(name));
      this.ready.set(name, authority);
    }
    return authority;
  }

  snapshot(): Partial<Record<IssuerName, AuthorityRecord>> {
    return { ...this.records };
  }
}

async function create(hierarchy: Hierarchy, now: Date): Promise<CertificateAuthority> {
  const notBefore = new Date(now.getTime() - 365 * 86_400_000);
  const root = await CertificateAuthority.create({ name: hierarchy.root, keyAlgorithm: hierarchy.keyAlgorithm, notBefore, validityDays: 9125 });
  return CertificateAuthority.create({
    name: hierarchy.intermediate,
    keyAlgorithm: hierarchy.keyAlgorithm,
    notBefore,
    validityDays: 3650,
    parent: root,
  });
}
