import type { ErrorInfoWire } from './types.js';

/**
 * An Ably error: a numeric `code`, the HTTP-ish `statusCode`, and a message that says what to do.
 * Thrown inside handlers and turned into an ERROR/NACK frame or a REST error body at the edge.
 */
export class AblyError extends Error {
  readonly code: number;
  readonly statusCode: number;

  constructor(code: number, statusCode: number, message: string) {
    super(message);
    this.name = 'AblyError';
    this.code = code;
    this.statusCode = statusCode;
  }

  /** The `error` member of a frame or REST body. */
  toWire(): ErrorInfoWire {
    return {
      code: this.code,
      statusCode: this.statusCode,
      message: this.message,
      href: `https://help.ably.io/error/${this.code}`,
    };
  }
}

/** Builders for the codes the emulator uses, so each code has one status and one wording style. */
export const Errors = {
  badRequest: (message: string) => new AblyError(40000, 400, message),
  unsupportedContentType: (message: string) => new AblyError(40004, 415, message),
  invalidParameter: (message: string) => new AblyError(40003, 400, message),
  messageTooLarge: (size: number, limit: number) =>
    new AblyError(
      40009,
      400,
      `Maximum size of messages that can be published at once exceeded (was ${size} bytes, against a limit of ${limit} bytes)`,
    ),
  invalidChannelName: (message: string) => new AblyError(40010, 400, message),
  invalidClientId: (message: string) => new AblyError(40012, 400, message),
  invalidData: (message: string) => new AblyError(40013, 400, message),
  invalidCredentials: (message: string) => new AblyError(40101, 401, message),
  incompatibleCredentials: (message: string) => new AblyError(40102, 401, message),
  timestampNotCurrent: (message: string) => new AblyError(40104, 401, message),
  nonceReused: (message: string) => new AblyError(40105, 401, message),
  tokenExpired: () =>
    new AblyError(40142, 401, 'Token expired. Request a new token (the SDK does so when it can).'),
  tokenRevoked: () =>
    new AblyError(
      40141,
      401,
      'Token revoked (revokeTokens). Request a new token (the SDK does so when it can).',
    ),
  tokenUnrecognised: () =>
    new AblyError(40143, 401, 'Token unrecognised. It was not issued by this emulator app.'),
  invalidJwt: (message: string) => new AblyError(40144, 401, message),
  notPermitted: (message: string) => new AblyError(40160, 401, message),
  tooManyApps: (limit: number) =>
    new AblyError(
      40115,
      401,
      `Maximum number of apps exceeded: ${limit} created by POST /apps are live. Delete some (DELETE /apps/<appId>) or raise the emulator's maxApps option.`,
    ),
  forbidden: (message: string) => new AblyError(40300, 403, message),
  notFound: (message: string) => new AblyError(40400, 404, message),
  methodNotAllowed: (message: string) => new AblyError(40500, 405, message),
  inboundRateExceeded: (rate: number) =>
    new AblyError(
      42911,
      429,
      `Max per-connection publish rate limit exceeded (nonfatal): unable to publish message (limit ${rate} messages per second; the emulator's maxInboundRate option).`,
    ),
  internal: (message: string) => new AblyError(50000, 500, message),
  backlogTooLarge: () =>
    new AblyError(90004, 404, 'Unable to recover channel (message limit exceeded)'),
  channelNotAttached: (channel: string) =>
    new AblyError(
      90001,
      400,
      `Channel "${channel}" is not attached on this connection. Attach first.`,
    ),
  tooManyChannels: (limit: number) =>
    new AblyError(
      90010,
      400,
      `Maximum number of channels per connection (${limit}) exceeded: detach channels this connection no longer needs (or raise the emulator's maxChannelsPerConnection option).`,
    ),
  tooManyPresenceMembers: (limit: number) =>
    new AblyError(
      91003,
      400,
      `Unable to enter member to presence channel; maximum number of ${limit} members exceeded. For large audiences count them with occupancy instead (or raise the emulator's maxPresenceMembers option).`,
    ),
  presenceDataTooLarge: (limit: number) =>
    new AblyError(
      91006,
      400,
      `Unable to enter member to presence channel; the total presence data of the channel would exceed ${limit} bytes (the emulator's maxPresenceDataBytes option).`,
    ),
  connectionExpired: () =>
    new AblyError(80008, 400, 'Unable to recover connection (connection expired)'),
  invalidConnectionKey: () =>
    new AblyError(
      80018,
      400,
      'Unable to recover connection: invalid connection key (not one this emulator issued); connected afresh.',
    ),
} as const;

/** Turns anything thrown into an AblyError; unknown errors become 50000 without leaking a stack. */
export function toAblyError(err: unknown): AblyError {
  if (err instanceof AblyError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return Errors.internal(`Internal emulator error: ${message}`);
}
