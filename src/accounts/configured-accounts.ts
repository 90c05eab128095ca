import { GatewayError } from '../domain/errors/gateway-error';
import { type CloudAccount, type CloudAccounts, type EsaProvider, type SlbProvider } from '../domain/ports';
import { type AccountSpec } from './account-settings';
import { RoleCredentials, StaticCredentials, type CredentialSource, type RoleAssumer } from './credentials';

/** One configured account, wired: its products signed with its credentials, and the regions it names. */
export interface WiredAccount extends CloudAccount {
  name?: string;
  kind: CredentialSource['kind'];
  /** SLB regions to read; absent: every region DescribeRegions lists. */
  slbRegions?: readonly string[];
}

/** What wiring an account needs: its products' clients for some credentials, and STS for a role. */
export interface AccountWiring {
  /** The credentials of the default account, and of a role account without its own key. */
  defaultCredentials: CredentialSource;
  /** STS, signed with the given credentials. */
  sts(credentials: CredentialSource, accountId: string): RoleAssumer;
  products(account: { id: string; credentials: CredentialSource; esaEndpoint?: string }): { esa: EsaProvider; slb: SlbProvider };
}

/** The account of the single set of credentials, when ACCOUNTS is not set. */
export const DEFAULT_ACCOUNT = 'default';

/**
 * Every account the gateway reads, in configured order: access-key accounts sign with their key, role
 * accounts with temporary credentials their own key (or the default credentials) assumes. Without
 * ACCOUNTS there is one, `default`, signed by the default credentials; `slbRegions` then keeps what
 * SLB_REGIONS said.
 */
export class ConfiguredAccounts implements CloudAccounts {
  readonly first: string;
  readonly ids: readonly string[];
  private readonly byId: ReadonlyMap<string, WiredAccount>;

  constructor(readonly list: readonly WiredAccount[]) {
    if (list.length === 0) throw new Error('At least one account is needed.');
    this.first = (list[0] as WiredAccount).id;
    this.ids = list.map((account) => account.id);
    this.byId = new Map(list.map((account) => [account.id, account]));
  }

  static wire(specs: readonly AccountSpec[], wiring: AccountWiring, defaultRegions?: readonly string[]): ConfiguredAccounts {
    if (specs.length === 0) {
      const credentials = wiring.defaultCredentials;
      const products = wiring.products({ id: DEFAULT_ACCOUNT, credentials });
      return new ConfiguredAccounts([{ id: DEFAULT_ACCOUNT, kind: credentials.kind, ...products, ...(defaultRegions ? { slbRegions: defaultRegions } : {}) }]);
    }
    return new ConfiguredAccounts(
      specs.map((spec) => {
        const own = spec.accessKey ? new StaticCredentials(spec.accessKey) : undefined;
        const credentials = spec.role ? new RoleCredentials(wiring.sts(own ?? wiring.defaultCredentials, spec.id), spec.role) : (own ?? wiring.defaultCredentials);
        const products = wiring.products({ id: spec.id, credentials, ...(spec.esaEndpoint ? { esaEndpoint: spec.esaEndpoint } : {}) });
        return {
          id: spec.id,
          kind: credentials.kind,
          ...products,
          ...(spec.name ? { name: spec.name } : {}),
          ...(spec.slbRegions ? { slbRegions: spec.slbRegions } : {}),
        };
      }),
    );
  }

  get(accountId: string): WiredAccount {
    const account = this.byId.get(accountId);
    if (!account) throw GatewayError.refused('InvalidParameter', 'GATEWAY', `There is no account "${accountId.slice(0, 64)}".`);
    return account;
  }
}
