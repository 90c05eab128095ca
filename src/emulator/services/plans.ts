import { type PlanRecord } from '../state/records';

export type PlanPreset = 'basic' | 'normal' | 'enterprise';

/** ESA plan tiers as far as certificates care: which mTLS features they carry, and the free-certificate quota. */
export const PLAN_PRESETS: Record<PlanPreset, Omit<PlanRecord, 'name'>> = {
  basic: { specName: 'basic', originClientCertificates: false, clientCertificates: false, freeCertificateQuota: 10 },
  normal: { specName: 'normal', originClientCertificates: true, clientCertificates: true, freeCertificateQuota: 50 },
  enterprise: { specName: 'enterprise', originClientCertificates: true, clientCertificates: true, freeCertificateQuota: 200 },
};

export function plan(preset: PlanPreset, name: string): PlanRecord {
  return { name, ...PLAN_PRESETS[preset] };
}
