import { type Certificate, type CertificateRef } from '../domain/certificate';
import { certificateStatus } from '../domain/certificate-status';
import { encodeCertificateId, legacyCertificateId } from '../domain/global-id';
import { type InventoryUpdates } from '../domain/ports';
import { type Inventory } from '../inventory/inventory';
import { entryOf, type InventoryEntry } from '../inventory/inventory-entry';
import { Sources } from '../inventory/sources';
import { type SourceDelta } from '../inventory/inventory-sweep';
import { eventCertificate, newEvent, type CertificateEvent } from './certificate-event';
import { type EventBus } from './event-bus';
import { expiryMarks } from './expiry-detector';
import { type RadarMarks } from './radar-marks';
import { type WebhookDispatcher } from './webhook-queue';

export interface RadarOptions {
  inventory: Inventory;
  marks: RadarMarks;
  bus: EventBus;
  webhooks?: WebhookDispatcher;
  /** Days before notAfter at which `certificate.expiring` is announced, largest first. */
  thresholds: readonly number[];
  expiringDays: number;
  /**
   * The first account: its certificates' marks keep the ids they had before ids carried the account,
   * so what was announced then is not announced again.
   */
  firstAccount?: string;
  now: () => number;
  failed: (error: Error) => void;
}

/**
 * The expiry radar: turns what the sweep saw and what the gateway's own mutations did into
 * certificate events, on the bus (every instance's subscribers) and to the webhooks (a durable queue).
 * Expiry marks are claimed in the shared store, so each threshold of each certificate is announced
 * once, ever, however many instances and sweeps see it. Detection runs in the sweep (one instance
 * at a time) and right after a mutation, for what it touched.
 */
export class Radar {
  constructor(private readonly options: RadarOptions) {}

  /** After a sweep: the transitions it saw, and every certificate's expiry marks. */
  async afterSweep(deltas: readonly SourceDelta[]): Promise<void> {
    const now = new Date(this.options.now());
    const events: CertificateEvent[] = [];
    for (const delta of deltas) {
      for (const { before, after } of delta.changes) {
        const event = this.transition(before, after, delta.firstRead, now);
        if (event) events.push(event);
      }
    }
    const expiry = await this.expiry(this.options.inventory.view.entries(), now);
    await this.emit([...events, ...expiry.events], expiry.marks);
  }

  /** The inventory's side of a mutation, with its events: `certificate.changed`, and any expiry mark the result reached. */
  updates(): InventoryUpdates {
    return {
      upsert: async (certificates, change) => {
        await this.options.inventory.upsert(certificates, change);
        const now = new Date(this.options.now());
        const entries = certificates.map((certificate) => entryOf(certificate, Sources.of(certificate.ref)));
        const events = entries.map((entry) => newEvent('certificate.changed', this.payload(entry.certificate, now), now, { change }));
        const expiry = await this.expiry(entries, now);
        await this.emit([...events, ...expiry.events], expiry.marks);
      },
      unsettle: (touched) => this.options.inventory.unsettle(touched),
      setUsages: async (region, usages, change) => {
        const changed = await this.options.inventory.setUsages(region, usages);
        const now = new Date(this.options.now());
        await this.emit(changed.map((certificate) => newEvent('certificate.changed', this.payload(certificate, now), now, { change })));
        return changed;
      },
      remove: async (refs) => {
        const known = refs.map((ref) => this.options.inventory.view.get(encodeCertificateId(ref))?.certificate ?? minimal(ref));
        await this.options.inventory.remove(refs);
        const now = new Date(this.options.now());
        await this.emit(known.map((certificate) => newEvent('certificate.changed', this.payload(certificate, now), now, { change: 'deleted' })));
      },
    };
  }

  private transition(before: InventoryEntry | undefined, after: InventoryEntry | undefined, firstRead: boolean, now: Date): CertificateEvent | undefined {
    const { expiringDays } = this.options;
    if (!after) return before && !firstRead ? newEvent('certificate.changed', this.payload(before.certificate, now), now, { change: 'deleted' }) : undefined;
    const status = certificateStatus(after.certificate, now, expiringDays).value;
    const previous = before ? certificateStatus(before.certificate, now, expiringDays).value : undefined;
    const payload = this.payload(after.certificate, now);
    if (status === 'FAILED' && previous !== 'FAILED') return newEvent('certificate.application_failed', payload, now);
    // A certificate new to a source the sweep knew is new to the account; on a first read, only the index is new.
    if (!before) return firstRead ? undefined : newEvent('certificate.issued', payload, now);
    if (previous === 'PENDING' && (status === 'ISSUED' || status === 'EXPIRING')) return newEvent('certificate.issued', payload, now);
    return newEvent('certificate.changed', payload, now, { change: 'seen' });
  }

  /** The expiry events not announced before, and the marks they claimed. */
  private async expiry(entries: Iterable<InventoryEntry>, now: Date): Promise<{ events: CertificateEvent[]; marks: string[] }> {
    const { firstAccount } = this.options;
    const markId = (entry: InventoryEntry) => (entry.accountId === firstAccount ? legacyCertificateId(entry.certificate.ref) : entry.id);
    const marks = expiryMarks(entries, now.getTime(), this.options.thresholds, markId);
    const claimed = marks.length ? await this.options.marks.claim(marks.map((mark) => mark.key)) : [];
    const events: CertificateEvent[] = [];
    const keys: string[] = [];
    marks.forEach((mark, index) => {
      if (!claimed[index]) return;
      const payload = this.payload(mark.entry.certificate, now);
      keys.push(mark.key);
      events.push(
        mark.threshold === undefined
          ? newEvent('certificate.expired', payload, now, { mark: mark.key })
          : newEvent('certificate.expiring', payload, now, { threshold: mark.threshold, mark: mark.key }),
      );
    });
    return { events, marks: keys };
  }

  private payload(certificate: Certificate, now: Date) {
    return eventCertificate(certificate, now, this.options.expiringDays);
  }

  /**
   * Queues the events for the webhooks, then tells the subscribers. Events never fail the work that
   * found them: when they cannot be queued, the marks they claimed are given back, so the next
   * detection announces them again (with the same ids).
   */
  private async emit(events: readonly CertificateEvent[], marks: readonly string[] = []): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.options.webhooks?.dispatch(events);
    } catch (error) {
      this.options.failed(error as Error);
      await this.options.marks.release(marks).catch(() => undefined);
      return;
    }
    await Promise.all(events.map((event) => this.options.bus.publish(event))).catch((error: Error) => this.options.failed(error));
  }
}

function minimal(ref: CertificateRef): Certificate {
  return { ref, subjectAlternativeNames: [], domainValidations: [] };
}
