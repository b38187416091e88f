// A transaction that every transaction started within it (in its async chain) joins, so several
// engine calls commit as one: an idempotent create's claim, the create and its sealed answer.
// Joining is scoped by AsyncLocalStorage, never global, so other requests keep their own
// transactions meanwhile; and it ends with the transaction, so work the scope left behind (a
// timer, a promise) can never write through a transaction already committed.
import { AsyncLocalStorage } from 'node:async_hooks';

export class AmbientTransaction<V> {
  private readonly scope = new AsyncLocalStorage<{ view: V; open: boolean }>();

  /** The open transaction this async chain runs in, if any. */
  current(): V | undefined {
    const held = this.scope.getStore();
    return held?.open ? held.view : undefined;
  }

  /** Runs `work` with `view` (an open transaction's) as the chain's ambient transaction. */
  async run<T>(view: V, work: (view: V) => Promise<T>): Promise<T> {
    const held = { view, open: true };
    try {
      return await this.scope.run(held, () => work(view));
    } finally {
      held.open = false;
    }
  }
}
