// A build error if a client component ever imports this module: the key stays on the server.
import 'server-only';

import { type AblyEndpointOptions, ablyEndpointOptions } from '@presencekit/react/server';
import * as Ably from 'ably';

// Server-only: the API key is read here and used by the REST client and the token route; pages
// pass the browser only the endpoint (where Ably is), never the key.
//   ABLY_API_KEY   your key, or the emulator's (`emulator.root:local-dev-secret` by default)
//   ABLY_ENDPOINT  the emulator's URL, e.g. http://127.0.0.1:8787; unset for Ably itself

let rest: Ably.Rest | undefined;

/** The app's REST client (one per server process). */
export function ablyRest(): Ably.Rest {
  const key = process.env.ABLY_API_KEY;
  if (!key) {
    throw new Error(
      'ABLY_API_KEY is not set: start the server with ABLY_API_KEY (and ABLY_ENDPOINT for the emulator).',
    );
  }
  rest ??= new Ably.Rest({ key, logLevel: 0, ...ablyEndpointOptions(process.env.ABLY_ENDPOINT) });
  return rest;
}

/** Where the browser's Ably client connects: safe to pass to client components. */
export function browserEndpoint(): AblyEndpointOptions {
  return ablyEndpointOptions(process.env.ABLY_ENDPOINT);
}
