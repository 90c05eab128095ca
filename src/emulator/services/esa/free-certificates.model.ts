import { type Account } from '../../state/account';
import { type ServiceEnvironment } from '../action';

export interface CompleteValidationsRequest {
  siteId: string;
  /** One certificate; all of the site's pending ones when absent. */
  id?: string;
  /** Validation fails instead: the application ends ApplyFailed. */
  fail?: boolean;
}

/** Completes domain validation of pending free certificates now; returns the ids that changed. */
export async function completeValidations(_account: Account, _env: ServiceEnvironment, _request: CompleteValidationsRequest): Promise<string[]> {
  return [];
}
