import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type AuthorityRecord } from '../pki/certificate-authority';
import { type IssuerName } from '../pki/issuing-authorities';
import { type SessionRegistry, type StsSession } from '../protocol/session-registry';
import { Account, type AccountSnapshot } from './account';

/** The `--state FILE` document. */
export interface StateDocument {
  format: 'certificate-emulator-state';
  version: 1;
  savedAt: string;
  authorities: Partial<Record<IssuerName, AuthorityRecord>>;
  accounts: Record<string, AccountSnapshot>;
  /** Temporary credentials AssumeRole handed out (absent from files written before STS existed). */
  sessions?: StsSession[];
}

/**
 * The accounts, one per access key, each created from the demo template on first use. With a state
 * file, every change is written to a temporary file and renamed over the old one, so a crash leaves
 * either the previous state or the new one, never half of either.
 */
export class StateStore {
  private accounts = new Map<string, Account>();
  private writing: Promise<void> = Promise.resolve();
  private pendingWrite = false;

  constructor(
    private readonly template: () => Promise<AccountSnapshot>,
    private readonly authorities: () => Partial<Record<IssuerName, AuthorityRecord>>,
    private readonly file?: string,
    private readonly sessions?: SessionRegistry,
  ) {}

  /** Reads the state file if there is one; returns the CA records it held. */
  static async readFile(file: string): Promise<StateDocument | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const document = JSON.parse(text) as StateDocument;
    if (document.format !== 'certificate-emulator-state' || document.version !== 1) {
      throw new Error(`${file} is not an emulator state file (version 1).`);
    }
    return document;
  }

  restore(document: StateDocument): void {
    this.accounts = new Map(
      Object.entries(document.accounts).map(([accessKeyId, snapshot]) => [accessKeyId, Account.fromSnapshot(accessKeyId, snapshot)]),
    );
    this.sessions?.load(document.sessions ?? []);
  }

  async account(accessKeyId: string): Promise<Account> {
    let account = this.accounts.get(accessKeyId);
    if (!account) {
      const snapshot = structuredClone(await this.template());
      account = this.accounts.get(accessKeyId) ?? Account.fromSnapshot(accessKeyId, snapshot);
      this.accounts.set(accessKeyId, account);
    }
    return account;
  }

  /** Every account back to the demo state (accounts are recreated on their next call); the roles go, and the sessions with them. */
  async reset(): Promise<void> {
    this.accounts.clear();
    this.sessions?.clear();
    await this.save();
  }

  /** Writes the state file (no-op without one). Concurrent calls coalesce into at most one more write. */
  save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    if (this.pendingWrite) return this.writing;
    this.pendingWrite = true;
    this.writing = this.writing.then(async () => {
      this.pendingWrite = false;
      await this.write(this.file as string);
    });
    return this.writing;
  }

  private async write(file: string): Promise<void> {
    const document: StateDocument = {
      format: 'certificate-emulator-state',
      version: 1,
      savedAt: new Date().toISOString(),
      authorities: this.authorities(),
      accounts: Object.fromEntries([...this.accounts].map(([id, account]) => [id, account.snapshot()])),
      ...(this.sessions ? { sessions: this.sessions.snapshot() } : {}),
    };
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(document), { mode: 0o600 });
    await rename(temporary, file);
  }
}
