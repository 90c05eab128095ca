// @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata API
// loaded first; and it signs through WebCrypto, which Node's own implementation backs. Every use of
// the library in the emulator goes through this module so both hold.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
