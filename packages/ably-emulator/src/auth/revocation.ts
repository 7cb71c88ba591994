import { AblyError, Errors } from '../protocol/errors.js';
import type { App } from '../state/app.js';
import type { Principal } from './principal.js';

/** Longest lifetime of a token from a key with `revocableTokens`, as Ably: one hour. */
export const MAX_REVOCABLE_TTL_MS = 60 * 60 * 1000;
/** How far `allowReauthMargin` postpones a revocation, as Ably: 30 seconds. */
export const REAUTH_MARGIN_MS = 30_000;
/** Most target specifiers in one `revokeTokens` request, as Ably. */
export const MAX_REVOCATION_TARGETS = 100;

/** What a revocation target specifier (`type:value`) matches on. */
export type RevocationType = 'clientId' | 'revocationKey' | 'channel';

const TYPES: ReadonlySet<string> = new Set<RevocationType>([
  'clientId',
  'revocationKey',
  'channel',
]);

/** One accepted target of a `revokeTokens` request. */
export interface Revocation {
  readonly type: RevocationType;
  readonly value: string;
  /** Only tokens issued before this (ms since the epoch) are revoked. */
  readonly issuedBefore: number;
  /** From when the revocation is enforced (later than now with `allowReauthMargin`). */
  readonly appliesAt: number;
}

/**
 * Splits a target specifier (`clientId:bob`, `revocationKey:group1`, `channel:chat:*`) at its
 * first `:`. Throws 40000 for an unknown type or an empty value: that target fails alone.
 */
export function parseTarget(target: unknown): { type: RevocationType; value: string } {
  const text = typeof target === 'string' ? target : '';
  const colon = text.indexOf(':');
  const type = colon > 0 ? text.slice(0, colon) : '';
  const value = colon > 0 ? text.slice(colon + 1) : '';
  if (!TYPES.has(type) || value === '') {
    throw Errors.badRequest(
      `Invalid revocation target ${JSON.stringify(target)}: use "clientId:<id>", "revocationKey:<key>" or "channel:<resource>".`,
    );
  }
  return { type: type as RevocationType, value };
}

/** Whether a revocation covers a token (of its key): a matching target, issued before it. */
export function covers(r: Revocation, principal: Principal): boolean {
  if ((principal.issued ?? -Infinity) >= r.issuedBefore) return false;
  switch (r.type) {
    case 'clientId':
      return principal.clientId === r.value;
    case 'revocationKey':
      return principal.revocationKey === r.value;
    case 'channel':
      // The exact resource string of the token's capability, not any channel it can reach.
      return principal.capability.resourceNames().includes(r.value);
  }
}

/** The revocation in force now that covers a token, if any. */
export function revocationOf(principal: Principal): Revocation | undefined {
  if (principal.kind !== 'token' || principal.revocable !== true) return undefined;
  const now = principal.app.now();
  return principal.app
    .revocationsOf(principal.keyName)
    .find((r) => r.appliesAt <= now && covers(r, principal));
}

/**
 * Checks a token against its key's revocable-tokens rules: one from such a key may live at most
 * an hour (40003, as Ably refuses to issue or accept a longer one), and must not be revoked
 * (40141, a token error: SDKs that can renew do so).
 */
export function checkRevocable(principal: Principal): Principal {
  if (principal.kind !== 'token' || principal.revocable !== true) return principal;
  const { issued, expires } = principal;
  if (issued !== undefined && expires !== undefined && expires - issued > MAX_REVOCABLE_TTL_MS) {
    throw excessiveTtl();
  }
  if (revocationOf(principal)) throw Errors.tokenRevoked();
  return principal;
}

/** 40003 for a token from a revocable key asked (or presented) with a ttl over an hour. */
export function excessiveTtl(): AblyError {
  return Errors.invalidParameter(
    `Excessive value for TTL (revocation is enabled on this key): tokens from a key with revocableTokens live at most ${MAX_REVOCABLE_TTL_MS} ms.`,
  );
}

/** Records a revocation for a key's tokens; drops those no live revocable token can match. */
export function addRevocation(app: App, keyName: string, revocation: Revocation): void {
  app.addRevocation(keyName, revocation, app.now() - MAX_REVOCABLE_TTL_MS);
}
