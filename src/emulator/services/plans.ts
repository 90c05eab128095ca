import { type PlanRecord } from '../state/records';

export type PlanPreset = 'basic' | 'normal' | 'enterprise';

/** The two certificate pools GetCertificateQuota reports on, by its `Type`. */
export type CertificateQuotaType = 'free' | 'paid';

/**
 * ESA plan tiers as far as certificates care: which mTLS features they carry, and how many
 * certificates a site may hold. ESA's public plan pages give no certificate counts, so the quotas
 * are the emulator's own (src/emulator/README.md, "Certificate quota"): the free quota of the basic
 * plan is the 10 of GetCertificateQuota's example answer; the paid (uploaded and CAS) quota of the
 * basic plan is small so tests can fill it, and large on the others so bulk seeding fits.
 */
export const PLAN_PRESETS: Record<PlanPreset, Omit<PlanRecord, 'name'>> = {
  basic: { specName: 'basic', originClientCertificates: false, clientCertificates: false, freeCertificateQuota: 10, paidCertificateQuota: 5 },
  normal: { specName: 'normal', originClientCertificates: true, clientCertificates: true, freeCertificateQuota: 50, paidCertificateQuota: 1000 },
  enterprise: { specName: 'enterprise', originClientCertificates: true, clientCertificates: true, freeCertificateQuota: 200, paidCertificateQuota: 2000 },
};

export function plan(preset: PlanPreset, name: string): PlanRecord {
  return { name, ...PLAN_PRESETS[preset] };
}

/** How many certificates of `type` a site on `record` may hold; a plan saved without a paid quota takes its preset's. */
export function certificateQuota(record: PlanRecord, type: CertificateQuotaType): number {
  if (type === 'free') return record.freeCertificateQuota;
  const preset = Object.hasOwn(PLAN_PRESETS, record.specName) ? PLAN_PRESETS[record.specName as PlanPreset] : PLAN_PRESETS.normal;
  return record.paidCertificateQuota ?? preset.paidCertificateQuota ?? 0;
}
