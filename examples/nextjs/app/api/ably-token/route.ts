import { createTokenHandler } from '@presencekit/react/server';

import { ROOMS } from '../../../lib/rooms';

// Token auth only: the browser's Ably client calls this (authUrl) and gets a token request for the
// visitor's client id (derived from a secret kept in an HttpOnly cookie), limited to this app's
// rooms. The key stays here; the room page reads the same client id with readClientId.
export const dynamic = 'force-dynamic';

export const GET = createTokenHandler({ key: process.env.ABLY_API_KEY, rooms: ROOMS });
