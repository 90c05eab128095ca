import { plan, type PlanPreset } from '../services/plans';
import { type SiteRecord } from '../state/records';

export interface SiteSpec {
  id: string;
  name: string;
  status?: SiteRecord['status'];
  accessType?: SiteRecord['accessType'];
  plan?: PlanPreset;
  resourceGroupId?: string;
}

/** A site as seeding adds it: given values, the demo account's defaults for the rest. */
export function siteRecord(spec: SiteSpec, now: number): SiteRecord {
  const preset = spec.plan ?? 'normal';
  return {
    id: spec.id,
    name: spec.name,
    status: spec.status ?? 'active',
    accessType: spec.accessType ?? 'NS',
    coverage: 'global',
    resourceGroupId: spec.resourceGroupId ?? 'rg-acfmdemo0000001',
    instanceId: `esa-site-${spec.id.slice(-6)}`,
    plan: plan(preset, `plan-${preset}-${spec.id.slice(-4)}`),
    createdAt: now,
    updatedAt: now,
  };
}
