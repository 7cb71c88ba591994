import { createTokenHandler } from '@presencekit/react/server';

import { ROOMS } from '../../../lib/rooms';

// Token auth only: the browser's Ably client calls this (authUrl) and gets a token request for the
// client id kept in an HttpOnly cookie, limited to this app's rooms. The key stays here.
export const dynamic = 'force-dynamic';

export const GET = createTokenHandler({ key: process.env.ABLY_API_KEY, rooms: ROOMS });
