import { CertificateAuthority } from '../pki/certificate-authority';
import { type IssuingAuthorities } from '../pki/issuing-authorities';
import { generateKeys } from '../pki/key-pairs';
import { DAY_MS } from '../pki/time-format';
import { plan } from '../services/plans';
import { createClientAuthority } from '../services/esa/client-authority';
import { storeCertificate } from '../services/stored-certificate';
import { type AccountSnapshot } from './account';
import { type DomainExtensionRecord, type ListenerRecord, type LoadBalancerRecord, type SiteRecord, type StoredCertificate } from './records';

/** Ids of the demo's records, fixed so the README and tests can name them. */
export const DEMO = {
  sites: {
    example: '1234567890123',
    cname: '2345678901234',
    pending: '3456789012345',
    basic: '4567890123456',
  },
  edgeCertificates: {
    upload: 'babaded901474b9693acf530e0fb1d95',
    free: 'baba39055622c008b90285a8838ed09a',
    cas: 'babab022c5e9b27bf9c64d7f4b1667f4',
  },
  clientCertificate: 'babab9db65ee5efcca9f3d41d4b50d66',
  clientAuthority: 'babaded901474b9693acf530e0fb1dbb',
  originClientCertificate: 'babaabcd1f2e4d6c8b0a9e7f5d3c1b2a',
  casCertificates: { www: '30000478', wildcard: '30000479', shop: '30000480' },
  regions: ['cn-hangzhou', 'cn-shanghai'],
  serverCertificates: {
    www: '1231579085529123_18b5e2c1a40_1714763408_709981430',
    wildcard: '1231579085529123_18b5e2c1a41_1714763409_709981431',
    api: '1231579085529123_18b5e2c1a42_1714763410_709981432',
    /** cn-shanghai's listener certificate, apart from `api` so that one stays free to delete. */
    apiListener: '1231579085529123_18b5e2c1a43_1714763411_709981433',
  },
  loadBalancers: { hangzhou: 'lb-bp1demo0example0hz0001', shanghai: 'lb-uf6demo0example0sh0001' },
  /** On the cn-hangzhou instance's HTTPS 443 listener. */
  domainExtension: 'de-bp1demo0www0001',
} as const;

/**
 * The demo account (src/emulator/README.md, Demo state): four sites that exercise the access types, activation and
 * plan rules; two SLB regions, each with a load balancer serving HTTPS; three CAS certificates; and a few certificates of every kind so no list
 * starts empty. Every certificate is real X.509 issued here.
 */
export async function buildDemoAccount(authorities: IssuingAuthorities, now: Date): Promise<AccountSnapshot> {
  const t = now.getTime();
  const created = t - 30 * DAY_MS;
  const digicert = await authorities.get('digicert', now);
  const letsEncrypt = await authorities.get('lets_encrypt', now);
  const serverCertificate = async (issuer: CertificateAuthority, names: string[], days: number): Promise<StoredCertificate> => {
    const keys = await generateKeys('ECDSA');
    const leaf = await issuer.issue({
      subject: { commonName: names[0] ?? '' },
      dnsNames: names,
      publicKeyDer: keys.publicKeyDer,
      notBefore: new Date(created),
      validityDays: days,
      usage: 'server',
    });
    return storeCertificate(leaf + issuer.chainPem);
  };

  const site = (id: string, name: string, status: SiteRecord['status'], accessType: SiteRecord['accessType'], preset: Parameters<typeof plan>[0]): SiteRecord => ({
    id,
    name,
    status,
    accessType,
    coverage: 'global',
    resourceGroupId: 'rg-acfmdemo0000001',
    instanceId: `esa-site-${id.slice(-6)}`,
    plan: plan(preset, `plan-${preset}-${id.slice(-4)}`),
    createdAt: created,
    updatedAt: created,
  });

  const clientCa = await createClientAuthority(new Date(created));
  const clientKeys = await generateKeys('ECDSA');
  const clientLeaf = await clientCa.issue({
    subject: { commonName: 'demo-client.example.com' },
    publicKeyDer: clientKeys.publicKeyDer,
    notBefore: new Date(created),
    validityDays: 365,
    usage: 'client',
  });
  const originCa = await CertificateAuthority.create({
    name: { commonName: 'Example Origin CA', organization: 'Example Inc' },
    keyAlgorithm: 'ECDSA',
    notBefore: new Date(created),
    validityDays: 3650,
  });
  const originKeys = await generateKeys('ECDSA');
  const originLeaf = await originCa.issue({
    subject: { commonName: 'esa-origin-client.example.com', organization: 'Example Inc' },
    publicKeyDer: originKeys.publicKeyDer,
    notBefore: new Date(created),
    validityDays: 365,
    usage: 'client',
  });

  const casWww = await serverCertificate(digicert, ['www.example.com', 'example.com'], 365);
  const casWildcard = await serverCertificate(digicert, ['*.example.com', 'example.com'], 365);
  const casShop = await serverCertificate(digicert, ['shop.example.net'], 365);
  const freeWww = await serverCertificate(letsEncrypt, ['blog.example.com'], 90);
  const uploaded = await serverCertificate(digicert, ['static.example.com'], 365);
  const slbWww = await serverCertificate(digicert, ['www.example.com'], 365);
  const slbApi = await serverCertificate(digicert, ['api.example.com', 'api2.example.com'], 365);
  const slbApiListener = await serverCertificate(digicert, ['api.example.com'], 365);
  const sites = DEMO.sites;
  const ids = DEMO.edgeCertificates;

  return {
    sites: [
      site(sites.example, 'example.com', 'active', 'NS', 'enterprise'),
      site(sites.cname, 'cname-example.com', 'active', 'CNAME', 'normal'),
      site(sites.pending, 'pending-example.com', 'pending', 'NS', 'normal'),
      site(sites.basic, 'basic-example.com', 'active', 'NS', 'basic'),
    ],
    edgeCertificates: [
      { id: ids.upload, siteId: sites.example, name: 'static-example-com', type: 'upload', state: 'Issued', region: 'cn-hangzhou', certificate: uploaded, createdAt: created, updatedAt: created },
      {
        id: ids.free,
        siteId: sites.example,
        name: 'blog.example.com',
        type: 'free',
        state: 'Issued',
        region: 'cn-hangzhou',
        certificate: freeWww,
        application: {
          type: 'lets_encrypt',
          domain: 'blog.example.com',
          appliedAt: created,
          dcv: [{ id: 'bababf7cdd1546a2ad04c0def1f4c980', type: 'HTTP', key: 'http://blog.example.com/.well-known/acme-challenge/pH20CqwS5L3ZnvkhI436DCzadKFuG7QcUcvB_4KsAow', value: 'pH20CqwS5L3ZnvkhI436DCzadKFuG7QcUcvB_4KsAow.KfzYo4LH3EgOt7a73G-RqZkbR0eYtLfEUmtmqGmr4FQ', status: 'verified' }],
        },
        createdAt: created,
        updatedAt: created,
      },
      { id: ids.cas, siteId: sites.example, name: 'cas-www-example-com', type: 'cas', casId: DEMO.casCertificates.www, state: 'Issued', region: 'cn-hangzhou', certificate: casWww, createdAt: created, updatedAt: created },
    ],
    clientAuthority: { id: DEMO.clientAuthority, authority: clientCa.record },
    clientCertificates: [
      { id: DEMO.clientCertificate, siteId: sites.example, name: 'demo-client', status: 'active', caCertificateId: DEMO.clientAuthority, certificate: storeCertificate(clientLeaf), createdAt: created, updatedAt: created },
    ],
    originClientCertificates: [
      { id: DEMO.originClientCertificate, siteId: sites.example, name: 'origin-mtls', certificate: storeCertificate(originLeaf), createdAt: created, updatedAt: created },
    ],
    regions: [...DEMO.regions],
    serverCertificates: [
      { id: DEMO.serverCertificates.www, regionId: 'cn-hangzhou', name: 'www-example-com', resourceGroupId: 'rg-acfmdemo0000001', certificate: slbWww, createdAt: created },
      {
        id: DEMO.serverCertificates.wildcard,
        regionId: 'cn-hangzhou',
        name: 'wildcard-example-com',
        resourceGroupId: 'rg-acfmdemo0000002',
        certificate: casWildcard,
        aliCloudCertificateId: DEMO.casCertificates.wildcard,
        aliCloudCertificateName: 'wildcard-example-com',
        createdAt: created,
      },
      { id: DEMO.serverCertificates.api, regionId: 'cn-shanghai', name: 'api-example-com', resourceGroupId: 'rg-acfmdemo0000001', certificate: slbApi, createdAt: created },
      {
        id: DEMO.serverCertificates.apiListener,
        regionId: 'cn-shanghai',
        name: 'api-listener-example-com',
        resourceGroupId: 'rg-acfmdemo0000001',
        certificate: slbApiListener,
        createdAt: created,
      },
    ],
    casCertificates: [
      { id: DEMO.casCertificates.www, name: 'www-example-com', region: 'cn-hangzhou', certificate: casWww },
      { id: DEMO.casCertificates.wildcard, name: 'wildcard-example-com', region: 'cn-hangzhou', certificate: casWildcard },
      { id: DEMO.casCertificates.shop, name: 'shop-example-net', region: 'cn-hangzhou', certificate: casShop },
    ],
    loadBalancers: demoLoadBalancers(created),
  };
}

/**
 * One internet-facing instance per demo region with an HTTPS listener on 443 (and, in cn-hangzhou,
 * plain HTTP on 80 and a domain extension for www.example.com). The listeners serve certificates
 * no test deletes: the wildcard in cn-hangzhou (for the extension too, the region having no other
 * spare one) and a certificate of its own in cn-shanghai.
 */
function demoLoadBalancers(created: number): LoadBalancerRecord[] {
  const instance = (id: string, regionId: string, name: string, address: string, listeners: ListenerRecord[]): LoadBalancerRecord => ({
    id,
    regionId,
    name,
    status: 'active',
    address,
    addressType: 'internet',
    networkType: 'classic',
    vpcId: '',
    vSwitchId: '',
    masterZoneId: `${regionId}-b`,
    slaveZoneId: `${regionId}-d`,
    loadBalancerSpec: 'slb.s2.small',
    resourceGroupId: 'rg-acfmdemo0000001',
    createdAt: created,
    listeners,
  });
  const https = (serverCertificateId: string, domainExtensions: DomainExtensionRecord[]): ListenerRecord => ({
    port: 443,
    protocol: 'https',
    backendServerPort: 80,
    bandwidth: -1,
    status: 'running',
    description: 'HTTPS/443',
    https: { serverCertificateId, domainExtensions },
  });
  const certificates = DEMO.serverCertificates;
  return [
    instance(DEMO.loadBalancers.hangzhou, 'cn-hangzhou', 'example-com-hangzhou', '47.96.10.21', [
      { port: 80, protocol: 'http', backendServerPort: 80, bandwidth: -1, status: 'running', description: 'HTTP/80' },
      https(certificates.wildcard, [{ id: DEMO.domainExtension, domain: 'www.example.com', serverCertificateId: certificates.wildcard }]),
    ]),
    instance(DEMO.loadBalancers.shanghai, 'cn-shanghai', 'example-com-shanghai', '47.100.20.31', [https(certificates.apiListener, [])]),
  ];
}
