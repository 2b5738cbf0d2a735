// Identical page reads asked for in the same turn of the event loop share one database read. When
// a change wakes a hundred long-polls with the same cursor, the hub reads the page once, not a
// hundred times. The read starts on the next turn (setImmediate), so every request that joins it
// registered its waiter before the read's snapshot: a change after the snapshot still wakes it.
import type { FeedPage, HubStore, PageQuery } from './types.js';

export class SharedPageReads {
  private readonly pending = new Map<string, Promise<FeedPage>>();

  constructor(private readonly store: HubStore) {}

  /** The page for `query`; the FeedPage may be shared with other requests: never modify it. */
  read(query: PageQuery): Promise<FeedPage> {
    const key = `${query.since}|${query.limit}|${query.office ?? ''}`;
    let read = this.pending.get(key);
    if (!read) {
      read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.pending.delete(key); // later requests start a read of their own
        return this.store.page(query);
      });
      this.pending.set(key, read);
    }
    return read;
  }
}
