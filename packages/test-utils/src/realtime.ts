import type * as Ably from 'ably';

/** Connection states after which a client sends nothing more. */
const DONE = ['closed', 'failed', 'initialized'];

/**
 * Closes a realtime client and waits (at most `timeoutMs`) until it is closed or failed, so its
 * close frame has gone out before the next test starts. A client that never connected is done.
 */
export async function closeRealtime(client: Ably.Realtime, timeoutMs = 5_000): Promise<void> {
  const { state } = client.connection;
  if (state === 'closed' || state === 'failed') return;
  client.close();
  const done = (): boolean => DONE.includes(client.connection.state);
  if (done()) return;
  const closed = new Promise<void>((resolve) => {
    const check = (): void => {
      if (!done()) return;
      client.connection.off(check);
      resolve();
    };
    client.connection.on(check);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([closed, timeout]);
  clearTimeout(timer);
}

/** The listener lists of an ably-js `EventEmitter` (SDK internals, read on purpose). */
interface Emitter {
  any: unknown[];
  events: Record<string, unknown[]>;
  anyOnce: unknown[];
  eventsOnce: Record<string, unknown[]>;
}

/**
 * How many listeners an ably-js `EventEmitter` holds. Reads SDK internals on purpose: the point
 * is to prove that unmounting leaves nothing behind, which the public API cannot show.
 */
export function listenerCount(emitter: unknown): number {
  const e = emitter as Emitter;
  return (
    e.any.length +
    e.anyOnce.length +
    Object.values(e.events).flat().length +
    Object.values(e.eventsOnce).flat().length
  );
}
