import { type Capability, grantModes, type Operation } from '../auth/capability.js';
import { Flag, MODE_MASK } from '../protocol/actions.js';

/**
 * The modes an attachment gets when it asks for none: Ably's default set (ably-js's own tests
 * expect exactly these on a plain attach). Annotation subscribe and the object modes are only
 * granted when asked for.
 */
export const DEFAULT_MODES =
  Flag.PRESENCE | Flag.PUBLISH | Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE | Flag.ANNOTATION_PUBLISH;

/** Mode names as the `modes` channel param and ably-js's `channel.modes` spell them, in bit order. */
const MODE_NAMES: readonly (readonly [string, number])[] = [
  ['presence', Flag.PRESENCE],
  ['publish', Flag.PUBLISH],
  ['subscribe', Flag.SUBSCRIBE],
  ['presence_subscribe', Flag.PRESENCE_SUBSCRIBE],
  ['annotation_publish', Flag.ANNOTATION_PUBLISH],
  ['annotation_subscribe', Flag.ANNOTATION_SUBSCRIBE],
  ['object_subscribe', Flag.OBJECT_SUBSCRIBE],
  ['object_publish', Flag.OBJECT_PUBLISH],
];

/**
 * The modes an ATTACH asks for (0 for none): the comma-separated `modes` channel param when it
 * names any mode (ably-js `params: { modes: 'presence,subscribe' }`), which takes precedence
 * over the mode bits of `flags` (ably-js `modes: ['PRESENCE', ...]`). Unknown names are ignored.
 */
export function requestedModes(
  params: Readonly<Record<string, string>>,
  flags: number | undefined,
): number {
  const param = params['modes'];
  if (param !== undefined) {
    let modes = 0;
    for (const token of param.split(',')) {
      const name = token.trim().toLowerCase();
      modes |= MODE_NAMES.find(([n]) => n === name)?.[1] ?? 0;
    }
    if (modes !== 0) return modes;
  }
  return (flags ?? 0) & MODE_MASK;
}

/**
 * What an attachment may have: the requested modes the capability allows, or, when none were
 * requested, the {@link DEFAULT_MODES} it allows (RTL4m: ATTACHED's flags carry them). Throws
 * 40160 as {@link grantModes} does. The rule of ATTACH, and of every attachment when its
 * connection's credentials change.
 */
export function grantedModes(
  capability: Capability,
  channel: string,
  requested: number,
): { ops: ReadonlySet<Operation>; modes: number } {
  const granted = grantModes(capability, channel, requested);
  return requested ? granted : { ops: granted.ops, modes: granted.modes & DEFAULT_MODES };
}

/** Mode bits as the `modes` param spells them (`presence,subscribe`), for ATTACHED's params. */
export function modesParam(modes: number): string {
  return MODE_NAMES.filter(([, bit]) => (modes & bit) !== 0)
    .map(([name]) => name)
    .join(',');
}
