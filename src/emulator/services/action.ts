import { type Clock } from '../clock';
import { type IssuingAuthorities } from '../pki/issuing-authorities';
import { type Caller } from '../protocol/authenticator';
import { type Params } from '../protocol/params';
import { type Account } from '../state/account';

export type Product = 'ESA' | 'SLB' | 'STS';

export const PRODUCT_VERSIONS: Record<Product, string> = {
  ESA: '2024-09-10',
  SLB: '2014-05-15',
  STS: '2015-04-01',
};

export type ValidationMode = 'immediate' | 'manual' | 'time';

/** How domain validation of applied free certificates completes (admin-settable). */
export interface ValidationSettings {
  mode: ValidationMode;
  /** In `time` mode: how long after application a certificate issues, on the next read. */
  delayMs: number;
}

/** What every action handler may use besides its account. */
export interface ServiceEnvironment {
  clock: Clock;
  authorities: IssuingAuthorities;
  validation: ValidationSettings;
}

export interface ActionCall {
  params: Params;
  account: Account;
  env: ServiceEnvironment;
  /** Who signed the call (the protocol layer sets it; STS decides on it). */
  caller?: Caller;
}

/** A response body without its RequestId, which the protocol layer adds. */
export type ResponseBody = Record<string, unknown>;

export interface ActionDefinition {
  /**
   * True when the action changes state: it then runs under the account lock. (Reads that settle
   * pending validations take the lock themselves; any change bumps `account.revision` and is saved.)
   */
  mutates: boolean;
  handle(call: ActionCall): Promise<ResponseBody> | ResponseBody;
}

export type ActionTable = Record<string, ActionDefinition>;

export const read = (handle: ActionDefinition['handle']): ActionDefinition => ({ mutates: false, handle });
export const write = (handle: ActionDefinition['handle']): ActionDefinition => ({ mutates: true, handle });
