import { type Account } from '../../state/account';

/** Whether any HTTPS listener or domain extension of the account serves the server certificate `id`. */
export function isCertificateServed(account: Account, id: string): boolean {
  for (const loadBalancer of account.loadBalancers.values()) {
    for (const listener of loadBalancer.listeners) {
      const https = listener.https;
      if (!https) continue;
      if (https.serverCertificateId === id) return true;
      if (https.domainExtensions.some((extension) => extension.serverCertificateId === id)) return true;
    }
  }
  return false;
}
