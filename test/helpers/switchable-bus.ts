import { ALL_KEYS, type InvalidationBus, type InvalidationListener } from '../../src/cache/invalidation-bus';

/**
 * The gateway's InvalidationBus port, in memory, with the subscription's state in the test's hands:
 * `drop()` is a lost subscription (nothing heard until `restore()`), `receive` a message from another
 * instance.
 */
export class SwitchableBus implements InvalidationBus {
  live = true;
  generation = 0;
  readonly published: string[][] = [];
  private readonly listeners: InvalidationListener[] = [];

  async publish(keys: readonly string[]): Promise<void> {
    this.published.push([...keys]);
    this.receive(keys);
  }

  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }

  receive(keys: readonly string[] | typeof ALL_KEYS): void {
    this.generation += 1;
    for (const listener of this.listeners) listener(keys);
  }

  drop(): void {
    this.live = false;
    this.receive(ALL_KEYS);
  }

  restore(): void {
    this.receive(ALL_KEYS);
    this.live = true;
  }

  async close(): Promise<void> {}
}
