import { UploadOriginClientCertificateDocument, UploadSiteCertificateDocument } from '../../generated/graphql';
import { untyped } from '../../helpers/callers';
import { gatewayForFile } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';

const SITE = '1234567890123';

describe('ids and answers of mutations', () => {
  const env = gatewayForFile();

  it('reads a site id with leading zeros as the site itself: one global id, and the site’s list shows the new certificate', async () => {
    const own = makeCertificate({ commonName: 'zeros.example.com', dnsNames: ['zeros.example.com'] });

    const uploaded = await env.gateway.execute(UploadSiteCertificateDocument, {
      input: { siteId: `000${SITE}`, certificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'zeros' },
    });
    const listed = await env.gateway.execute(untyped(`{ site(id: "00${SITE}") { id certificates(first: 100) { nodes { id name } } } }`));

    const certificate = uploaded.data?.uploadSiteCertificate;
    const site = (listed.data as { site: { id: string; certificates: { nodes: Array<{ id: string; name: string }> } } }).site;
    expect(certificate?.siteId).toBe(SITE);
    expect(site.id).toBe(SITE);
    expect(site.certificates.nodes).toContainEqual({ id: certificate?.id, name: 'zeros' });
  });

  it('answers an origin client upload with the PEM it uploaded, as a later read does', async () => {
    const ca = makeCertificate({ commonName: 'Canonical Origin CA' });
    const client = makeCertificate({ commonName: 'origin-pem.example.com', dnsNames: ['origin-pem.example.com'], issuer: ca });

    const uploaded = await env.gateway.execute(UploadOriginClientCertificateDocument, {
      input: { siteId: SITE, certificate: client.certificatePem, privateKey: client.privateKeyPem, name: 'origin-pem' },
    });
    const id = uploaded.data?.uploadOriginClientCertificate.id as string;
    const read = await env.gateway.execute(untyped('query One($id: ID!) { certificate(id: $id) { certificatePem } }'), { id });

    expect(uploaded.data?.uploadOriginClientCertificate.certificatePem).toBeTruthy();
    expect(uploaded.data?.uploadOriginClientCertificate.certificatePem?.trim()).toBe((read.data as { certificate: { certificatePem: string } }).certificate.certificatePem.trim());
  });
});
