import { createHmac } from 'node:crypto';

import * as Ably from 'ably';
import { act } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';

import {
  Watch,
  chatClient,
  emulatorOptions,
  participant,
  recorder,
  renderStrict,
  uniqueRoomName,
} from '../../test/live';
import { type UseOccupancyResult, useOccupancy } from '../hooks/useOccupancy';
import { type UsePresenceHistoryResult, usePresenceHistory } from '../hooks/usePresenceHistory';
import { type UseRoomsOccupancyResult, useRoomsOccupancy } from '../hooks/useRoomsOccupancy';
import { ChatClientProvider } from '../providers/ChatClientProvider';
import { ChatRoomProvider } from '../providers/ChatRoomProvider';

/**
 * The hooks' REST requests against ably-js 2.28's endless retry of a request refused with 40142
 * (ably/ably-js#2193), on the emulator with real expiring tokens. The clients never connect
 * (`autoConnect: false`), so nothing but the REST request itself can notice the expiry.
 */

type Credential = 'TokenDetails' | 'TokenRequest' | 'JWT' | 'opaque token string';

/**
 * An `authCallback` handing out `kind` credentials for clientId "me": the first lives
 * `firstTtl` ms, later ones a minute. Counts its calls; refuses when `refuse` is set (or after 1,000
 * calls, so a renewal loop ends instead of spinning until the test times out).
 */
function credentials(kind: Credential, firstTtl: number) {
  const issuer = new Ably.Rest(emulatorOptions({ logLevel: 0 }));
  const [keyName, secret] = (emulatorOptions().key ?? '').split(':') as [string, string];
  const state = { calls: 0, refused: 0, refuse: false, firstExpires: 0 };
  const issue = async (ttl: number): Promise<Ably.TokenDetails | Ably.TokenRequest | string> => {
    const expires = Date.now() + ttl;
    switch (kind) {
      case 'TokenRequest': {
        // Exchanged by the SDK a moment later: it expires `ttl` after that, a little later.
        state.firstExpires ||= expires + 1000;
        return issuer.auth.createTokenRequest({ clientId: 'me', ttl });
      }
      case 'JWT': {
        const exp = Math.ceil(expires / 1000);
        state.firstExpires ||= exp * 1000;
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const unsigned = `${part({ typ: 'JWT', alg: 'HS256', kid: keyName })}.${part({
          iat: Math.floor(Date.now() / 1000),
          exp,
          'x-ably-clientId': 'me',
          'x-ably-capability': '{"*":["*"]}',
        })}`;
        return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
      }
      default: {
        const details = await issuer.auth.requestToken({ clientId: 'me', ttl });
        state.firstExpires ||= details.expires;
        return kind === 'TokenDetails' ? details : details.token;
      }
    }
  };
  const authCallback: Ably.AuthOptions['authCallback'] = (_params, callback) => {
    state.calls++;
    if (state.refuse || state.calls > 1000) {
      state.refused++;
      return callback('no more tokens', null);
    }
    issue(state.calls === 1 ? firstTtl : 60_000).then(
      (credential) => callback(null, credential),
      (error: Ably.ErrorInfo) => callback(error, null),
    );
  };
  return Object.assign(state, { authCallback });
}

const counts = (r: UseRoomsOccupancyResult | undefined) =>
  Object.values(r?.rooms ?? {}).map((e) => `${e.connections}/${e.presenceMembers}`);

/** A client on `authCallback` that never connects, and a lobby showing `room` with it. */
async function lobby(room: string, authCallback: Ably.AuthOptions['authCallback']) {
  const client = chatClient('me', { key: undefined, authCallback, autoConnect: false });
  const seen = recorder<UseRoomsOccupancyResult>();
  renderStrict(
    <ChatClientProvider client={client}>
      <Watch hook={() => useRoomsOccupancy([room], { pollIntervalMs: 60_000 })} into={seen} />
    </ChatClientProvider>,
  );
  await vi.waitFor(() => expect(seen.current?.status).toBe('ready'), { timeout: 5000 });
  return { client, seen };
}

describe('REST requests and expiring tokens', () => {
  test.for(['TokenDetails', 'TokenRequest', 'JWT'] as const)(
    'with a %s the token is renewed once before the request, not retried for ever',
    async (kind) => {
      const room = uniqueRoomName('expiry');
      await participant('a', room, { enter: true });
      const auth = credentials(kind, 1500);
      const { client, seen } = await lobby(room, auth.authCallback);
      expect(counts(seen.current)).toEqual(['1/1']);
      expect(auth.calls).toBe(1);

      await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(auth.firstExpires + 100), {
        timeout: 5000,
      });
      await participant('b', room, { enter: true });
      // Nobody has noticed the expiry: the next request must.
      await act(() => seen.current!.refresh());
      expect(seen.current?.status).toBe('ready');
      expect(seen.current?.error).toBeUndefined();
      expect(counts(seen.current)).toEqual(['2/2']);
      expect(auth.calls).toBe(2);
      // The new token serves the next requests as they are.
      await act(() => seen.current!.refresh());
      expect(auth.calls).toBe(2);
      // An expired TokenDetails is dropped by the SDK itself once it knows the server time: it
      // needs no connection for that. (A JWT is renewed with authorize(), which connects.)
      if (kind !== 'JWT') expect(client.realtime.connection.state).toBe('initialized');
    },
  );

  test('a token about to expire is renewed before the request, so it cannot expire in flight', async () => {
    const room = uniqueRoomName('expiring');
    await participant('a', room, { enter: true });
    // Renewed in its last quarter (at most 10 s): here the last 2 s.
    const auth = credentials('TokenDetails', 8000);
    const { client, seen } = await lobby(room, auth.authCallback);
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(auth.firstExpires - 1500), {
      timeout: 10_000,
    });
    await act(() => seen.current!.refresh());
    expect(auth.calls).toBe(2);
    expect(seen.current?.status).toBe('ready');
    // Renewed with authorize() (the SDK would have sent the old one): that connects the client.
    expect(client.realtime.connection.state).not.toBe('initialized');
  });

  test('useOccupancy polling and usePresenceHistory renew the same way', async () => {
    const name = uniqueRoomName('expiry-room');
    const other = await participant('a', name, { enter: { n: 1 } });
    const auth = credentials('TokenDetails', 1500);
    const client = chatClient('me', {
      key: undefined,
      authCallback: auth.authCallback,
      autoConnect: false,
    });
    const occupancy = recorder<UseOccupancyResult>();
    const history = recorder<UsePresenceHistoryResult>();
    renderStrict(
      <ChatClientProvider client={client}>
        {/* Not attached: only REST requests, so only they can notice the expiry. */}
        <ChatRoomProvider name={name} attach={false}>
          <Watch
            hook={() => useOccupancy({ updates: 'poll', pollIntervalMs: 60_000 })}
            into={occupancy}
          />
          <Watch hook={() => usePresenceHistory()} into={history} />
        </ChatRoomProvider>
      </ChatClientProvider>,
    );
    await vi.waitFor(
      () => {
        expect(occupancy.current?.status).toBe('ready');
        expect(history.current?.status).toBe('ready');
      },
      { timeout: 5000 },
    );
    expect(history.current?.events.map((e) => e.action)).toEqual(['enter']);
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(auth.firstExpires + 100), {
      timeout: 5000,
    });
    await other.room.presence.update({ n: 2 });
    await act(() => Promise.all([occupancy.current!.refresh(), history.current!.refresh()]));
    expect(occupancy.current?.error).toBeUndefined();
    expect(occupancy.current?.connections).toBe(1);
    expect(history.current?.error).toBeUndefined();
    expect(history.current?.events.map((e) => e.action)).toEqual(['update', 'enter']);
    expect(auth.calls).toBe(2);
  });

  test('with an opaque token string the endless retry is reported as a typed error, and the hook recovers', async () => {
    const room = uniqueRoomName('expiry-opaque');
    await participant('a', room, { enter: true });
    const auth = credentials('opaque token string', 1500);
    const { seen } = await lobby(room, auth.authCallback);
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(auth.firstExpires + 100), {
      timeout: 5000,
    });

    // The SDK cannot see this token's expiry: it sends it, gets 40142, and loops (#2193).
    void seen.current!.refresh();
    await vi.waitFor(() => expect(seen.current?.error?.code).toBe('occupancy_fetch_failed'), {
      timeout: 5000,
    });
    const error = seen.current!.error!;
    expect(error.ablyCode).toBe(40142);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(
      /^Ably refused an expired token \(40142\) .*: return TokenDetails or a TokenRequest from authCallback\/authUrl, not a token string\.$/,
    );
    // The last count stays painted, marked stale.
    expect(seen.current?.status).toBe('stale');
    expect(counts(seen.current)).toEqual(['1/1']);
    expect(auth.calls).toBeLessThan(1000);

    // The SDK's own loop ends only when a renewal fails.
    auth.refuse = true;
    await vi.waitFor(() => expect(auth.refused).toBeGreaterThan(0), { timeout: 5000 });
    auth.refuse = false;
    await participant('b', room, { enter: true });
    await act(() => seen.current!.refresh());
    expect(seen.current?.status).toBe('ready');
    expect(seen.current?.error).toBeUndefined();
    expect(counts(seen.current)).toEqual(['2/2']);
  });
});
