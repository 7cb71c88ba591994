import { AblyError, Errors } from './errors.js';

/** Longest channel name accepted (Ably recommends staying under it; longer names break URLs). */
export const MAX_CHANNEL_NAME = 2048;

/**
 * Channel params a `[?…]` qualifier may carry (Ably refuses others with 40010): those Ably
 * documents as channel params, and `modes`, which ably-js sends as a param too.
 */
const QUALIFIER_PARAMS: ReadonlySet<string> = new Set([
  'rewind',
  'rewindLimit',
  'delta',
  'occupancy',
  'echo',
  'modes',
  'objects',
]);

/** A channel name as a client addressed it, split into its parts. */
export interface ChannelAddress {
  /**
   * The channel the emulator keeps state under: the name without a `[?params]` qualifier
   * (`[?rewind=1]room` is channel `room`), with `[meta]` kept (`[meta]log` is its own channel).
   */
  readonly channel: string;
  /** The params of a `[?k=v&…]` (or `[meta?k=v]`) qualifier, in addition to the ATTACH params. */
  readonly params: Readonly<Record<string, string>>;
  /** The expression of a `[filter=…]` qualifier (a derived channel, which is not emulated). */
  readonly filter?: string;
}

/**
 * Checks a channel name the way Ably does and splits it (Ably docs, channel naming: not empty,
 * no leading `[` or `:`, no newline; a leading `[…]` is a qualifier: `[meta]`, `[?params]`,
 * `[filter=…]`, optionally with `?params` after the qualifier). Throws 40010 (HTTP 400) naming
 * the problem; on realtime it fails only the channel it was about.
 */
export function parseChannelName(name: string): ChannelAddress {
  if (name === '') throw invalid('a channel name cannot be empty');
  if (name.length > MAX_CHANNEL_NAME) {
    throw invalid(`channel names are limited to ${MAX_CHANNEL_NAME} characters`);
  }
  if (/[\r\n]/.test(name)) throw invalid('a channel name cannot contain newline characters');
  if (!name.startsWith('[')) {
    checkBase(name, name);
    return { channel: name, params: {} };
  }
  const close = name.indexOf(']');
  if (close < 0) {
    throw invalid(
      `"${name}" starts with "[" but has no "]": a name may only start with a qualifier such as [meta] or [?rewind=1]`,
    );
  }
  const inner = name.slice(1, close);
  const base = name.slice(close + 1);
  const question = inner.indexOf('?');
  const qualifier = question < 0 ? inner : inner.slice(0, question);
  const params = question < 0 ? {} : parseQualifierParams(inner.slice(question + 1), name);
  checkBase(base, name);
  if (qualifier === '') {
    if (question < 0) throw invalid(`"[]" is not a qualifier (in "${name}")`);
    return { channel: base, params };
  }
  if (qualifier === 'meta') return { channel: `[meta]${base}`, params };
  if (qualifier.startsWith('filter=') && qualifier.length > 'filter='.length) {
    return { channel: base, params, filter: qualifier.slice('filter='.length) };
  }
  throw invalid(
    `unknown qualifier "[${qualifier}]" in "${name}": use [meta], [?param=value] or [filter=...]`,
  );
}

/** The part after any qualifier: not empty, not starting with `[` or `:`. */
function checkBase(base: string, name: string): void {
  if (base === '') throw invalid(`"${name}" has a qualifier but no channel name after it`);
  if (base.startsWith(':')) throw invalid(`"${name}": a channel name cannot start with ":"`);
  if (base.startsWith('[')) throw invalid(`"${name}": a channel name cannot start with "["`);
}

/** `k=v&k=v` from a qualifier; every key must be a channel param Ably knows. */
function parseQualifierParams(query: string, name: string): Record<string, string> {
  if (query === '') throw invalid(`"${name}" has an empty "?" parameter list`);
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !QUALIFIER_PARAMS.has(key)) {
      throw invalid(
        `unsupported channel parameter "${pair}" in "${name}" (known: ${[...QUALIFIER_PARAMS].join(', ')})`,
      );
    }
    params[key] = pair.slice(eq + 1);
  }
  return params;
}

function invalid(reason: string): AblyError {
  return Errors.invalidChannelName(`Invalid channel name: ${reason}.`);
}
