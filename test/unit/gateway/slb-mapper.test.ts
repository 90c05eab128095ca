import { mapServerCertificate, mapServerCertificates } from '../../../src/providers/slb/slb-mapper';

/**
 * Shaped like the JSON examples of https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate
 * and https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeservercertificates.
 */
const UPLOADED = {
  CommonName: '*.example1.com',
  RegionIdAlias: 'cn-hangzhou',
  ResourceGroupId: 'rg-acfmxazb4ph6aiy',
  Fingerprint: '68:08:1A:F8:2C:97:69:A3:A1:E6:16:41:4B:CA:4F:5D:EE:A5:EF:0D',
  ServerCertificateId: '123157908552****_166f8204689_1714763408_709981430',
  ExpireTimeStamp: 1558161264000,
  AliCloudCertificateId: '1501739',
  ExpireTime: '2019-05-18T06:34:24Z',
  RegionId: 'cn-hangzhou',
  RequestId: 'C87620A7-3608-48D0-BC41-A83FB4FF0EC6',
  ServerCertificateName: '*.example1.com',
  IsAliCloudCertificate: 1,
  AliCloudCertificateName: 'slb',
  CreateTime: '2017-08-31T02:49:05Z',
  CreateTimeStamp: 1504147745000,
  SubjectAlternativeNames: { SubjectAlternativeName: ['*.example1.com', 'example1.com'] },
};

const DESCRIBED = {
  RequestId: '9FFF450B-0000',
  ServerCertificates: {
    ServerCertificate: [
      {
        ServerCertificateId: 'idkp-123-cn-test-01',
        ServerCertificateName: 'mycert01',
        RegionId: 'cn-hangzhou',
        Fingerprint: '01:df:ab:cd',
        CommonName: 'www.example.com',
        SubjectAlternativeNames: { SubjectAlternativeName: ['www.example.com'] },
        CreateTime: '2018-11-09T10:59:16Z',
        CreateTimeStamp: 1541761156000,
        ExpireTime: '2019-05-18T06:34:24Z',
        ExpireTimeStamp: 1558161264000,
        IsAliCloudCertificate: 0,
        AliCloudCertificateId: '',
        AliCloudCertificateName: '',
        ResourceGroupId: 'rg-acfmdemo',
        Tags: { Tag: [{ TagKey: 'k', TagValue: 'v' }] },
      },
      { ServerCertificateName: 'no id, cannot be addressed' },
      { ServerCertificateId: 'second', ExpireTimeStamp: 1558161264000 },
    ],
  },
};

const HANGZHOU = { accountId: 'default', regionId: 'cn-hangzhou' };
const SHANGHAI = { accountId: 'default', regionId: 'cn-shanghai' };

describe('the SLB mapper', () => {
  it('maps an UploadServerCertificate answer to a unified server certificate', () => {
    expect(mapServerCertificate(UPLOADED, HANGZHOU, UPLOADED.ServerCertificateId)).toEqual({
      ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: '123157908552****_166f8204689_1714763408_709981430' },
      name: '*.example1.com',
      resourceGroupId: 'rg-acfmxazb4ph6aiy',
      commonName: '*.example1.com',
      subjectAlternativeNames: ['*.example1.com', 'example1.com'],
      fingerprintSha1: '68:08:1a:f8:2c:97:69:a3:a1:e6:16:41:4b:ca:4f:5d:ee:a5:ef:0d',
      notAfter: new Date('2019-05-18T06:34:24Z'),
      createdAt: new Date('2017-08-31T02:49:05Z'),
      isAliCloudCertificate: true,
      aliCloudCertificateId: '1501739',
      aliCloudCertificateName: 'slb',
      domainValidations: [],
    });
  });

  it('maps the nested DescribeServerCertificates list, leaving out entries without an id', () => {
    const certificates = mapServerCertificates(DESCRIBED, HANGZHOU);
    expect(certificates.map((certificate) => certificate.ref.nativeId)).toEqual(['idkp-123-cn-test-01', 'second']);
    expect(certificates[0]).toEqual({
      ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: 'idkp-123-cn-test-01' },
      name: 'mycert01',
      resourceGroupId: 'rg-acfmdemo',
      commonName: 'www.example.com',
      subjectAlternativeNames: ['www.example.com'],
      fingerprintSha1: '01:df:ab:cd',
      notAfter: new Date('2019-05-18T06:34:24Z'),
      createdAt: new Date('2018-11-09T10:59:16Z'),
      isAliCloudCertificate: false,
      domainValidations: [],
    });
  });

  it('puts every certificate in the account of the region it was read from', () => {
    const region = { accountId: 'prod', regionId: 'cn-hangzhou' };
    expect(mapServerCertificates(DESCRIBED, region).map((certificate) => certificate.ref)).toEqual([
      { provider: 'SLB', kind: 'SERVER', ...region, nativeId: 'idkp-123-cn-test-01' },
      { provider: 'SLB', kind: 'SERVER', ...region, nativeId: 'second' },
    ]);
    expect(mapServerCertificate(UPLOADED, region, 'x').ref.accountId).toBe('prod');
  });

  it('takes the millisecond timestamps when the ISO times are missing or given as digits', () => {
    const [, second] = mapServerCertificates(DESCRIBED, HANGZHOU);
    expect(second?.notAfter).toEqual(new Date(1558161264000));
    // The upload page's parameter table shows ExpireTime itself as "1504147745000".
    const digits = mapServerCertificate({ ExpireTime: '1504147745000' } as never, HANGZHOU, 'x');
    expect(digits.notAfter).toEqual(new Date(1504147745000));
  });

  it('never returns a PEM, even if an answer carried one', () => {
    const certificate = mapServerCertificate({ ...UPLOADED, ServerCertificate: '-----BEGIN CERTIFICATE-----' } as never, HANGZHOU, 'x');
    expect(certificate).not.toHaveProperty('certificatePem');
  });

  it('reads a flat list and a lone item where the nested array was expected', () => {
    const flat = mapServerCertificates({ ServerCertificates: [{ ServerCertificateId: 'a' }] } as never, SHANGHAI);
    const lone = mapServerCertificates({ ServerCertificates: { ServerCertificate: { ServerCertificateId: 'b' } } } as never, SHANGHAI);
    expect(flat.map((certificate) => certificate.ref)).toEqual([{ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-shanghai', nativeId: 'a' }]);
    expect(lone.map((certificate) => certificate.ref.nativeId)).toEqual(['b']);
    const loneSan = mapServerCertificate({ SubjectAlternativeNames: { SubjectAlternativeName: 'only.example.com' } } as never, SHANGHAI, 'c');
    expect(loneSan.subjectAlternativeNames).toEqual(['only.example.com']);
  });

  it('never throws on missing or oddly typed fields, leaving them out', () => {
    const odd = { IsAliCloudCertificate: 'maybe', ExpireTime: 'never', CreateTimeStamp: 'x', SubjectAlternativeNames: 5, Fingerprint: 42 };
    expect(mapServerCertificate(odd as never, HANGZHOU, 'x')).toEqual({
      ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: 'x' },
      subjectAlternativeNames: [],
      fingerprintSha1: '42',
      domainValidations: [],
    });
    expect(mapServerCertificates({}, HANGZHOU)).toEqual([]);
    expect(mapServerCertificates({ ServerCertificates: { ServerCertificate: [null, 3] } } as never, HANGZHOU)).toEqual([]);
  });
});
