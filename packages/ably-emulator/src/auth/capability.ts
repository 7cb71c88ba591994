import { Flag } from '../protocol/actions.js';
import { AblyError, Errors } from '../protocol/errors.js';

/**
 * Operations a capability can grant (ably-js `capabilityOp`). `*` grants all of them. The
 * `message-update-*` / `message-delete-*` ones gate editing and deleting messages (Ably Chat's
 * `messages.update()` / `delete()`): `-own` for messages with the caller's clientId, `-any` for
 * everyone's.
 */
export const OPERATIONS = [
  'publish',
  'subscribe',
  'presence',
  'history',
  'stats',
  'channel-metadata',
  'push-subscribe',
  'push-admin',
  'privileged-headers',
  'annotation-publish',
  'annotation-subscribe',
  'object-publish',
  'object-subscribe',
  'message-update-own',
  'message-update-any',
  'message-delete-own',
  'message-delete-any',
] as const;
export type Operation = (typeof OPERATIONS)[number];

const OPERATION_SET: ReadonlySet<string> = new Set(OPERATIONS);

/** Channel mode bits each operation allows (ATTACHED `flags`). */
const MODES_BY_OPERATION: Partial<Record<Operation, number>> = {
  publish: Flag.PUBLISH,
  subscribe: Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE,
  presence: Flag.PRESENCE,
  'annotation-publish': Flag.ANNOTATION_PUBLISH,
  'annotation-subscribe': Flag.ANNOTATION_SUBSCRIBE,
  'object-publish': Flag.OBJECT_PUBLISH,
  'object-subscribe': Flag.OBJECT_SUBSCRIBE,
};

/** The mode bits a set of operations allows on a channel. */
export function modesFor(ops: ReadonlySet<Operation>): number {
  let modes = 0;
  for (const op of ops) modes |= MODES_BY_OPERATION[op] ?? 0;
  return modes;
}

/**
 * What an attachment to `channel` may have under `capability`: the operations allowed there and
 * the mode bits granted, the requested ones the capability allows, or all it allows when none
 * were requested (`requested` 0). Throws 40160 when the capability allows nothing on the channel,
 * or none of the requested modes. The rule of ATTACH, and of every attachment when a connection's
 * credentials change.
 */
export function grantModes(
  capability: Capability,
  channel: string,
  requested: number,
): { ops: ReadonlySet<Operation>; modes: number } {
  const ops = capability.opsFor(channel);
  if (ops.size === 0) {
    throw Errors.notPermitted(
      `Channel "${channel}" is not permitted by this key or token's capability.`,
    );
  }
  const allowed = modesFor(ops);
  const modes = requested ? requested & allowed : allowed;
  if (requested && modes === 0) {
    throw Errors.notPermitted(
      `None of the requested channel modes is permitted on "${channel}" by the capability.`,
    );
  }
  return { ops, modes };
}

/**
 * A resource pattern, normalised: an optional qualifier (`[meta]`, or `*` for "any or none"),
 * and a name that is either exact or a prefix (pattern ending in `*`).
 */
interface Resource {
  readonly text: string;
  readonly qualifier: string | null;
  readonly name: string;
  readonly prefix: boolean;
}

function parseResource(text: string): Resource {
  let qualifier: string | null = null;
  let rest = text;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close > 0) {
      qualifier = text.slice(1, close);
      rest = text.slice(close + 1);
    }
  }
  const prefix = rest.endsWith('*');
  return { text, qualifier, name: prefix ? rest.slice(0, -1) : rest, prefix };
}

/** Splits a channel name into its qualifier (`[meta]` → `meta`; `[?params]` is ignored) and name. */
function splitChannel(channel: string): { qualifier: string | null; name: string } {
  if (channel.startsWith('[')) {
    const close = channel.indexOf(']');
    if (close > 0) {
      const qualifier = channel.slice(1, close);
      const name = channel.slice(close + 1);
      // `[?rewind=1]foo` is channel `foo` with params, not a qualified channel.
      return qualifier.startsWith('?') ? { qualifier: null, name } : { qualifier, name };
    }
  }
  return { qualifier: null, name: channel };
}

function matches(resource: Resource, channel: string): boolean {
  const { qualifier, name } = splitChannel(channel);
  if (resource.qualifier !== '*' && resource.qualifier !== qualifier) return false;
  return resource.prefix ? name.startsWith(resource.name) : name === resource.name;
}

/** True when every channel `b` matches is also matched by `a`. */
function covers(a: Resource, b: Resource): boolean {
  if (a.qualifier !== '*' && a.qualifier !== b.qualifier) return false;
  if (a.prefix) return b.name.startsWith(a.name);
  return !b.prefix && a.name === b.name;
}

function intersectOps(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  if (a.has('*')) return new Set(b);
  if (b.has('*')) return new Set(a);
  return new Set([...a].filter((op) => b.has(op)));
}

/**
 * An Ably capability: resource patterns (exact channel, `*`, `ns:*`, `[*]*`, `[meta]*`) mapped to
 * operations. Immutable; parse with {@link Capability.parse}.
 */
export class Capability {
  private readonly resources: readonly (Resource & { ops: ReadonlySet<string> })[];
  private readonly cache = new Map<string, ReadonlySet<Operation>>();

  private constructor(entries: Map<string, Set<string>>) {
    this.resources = [...entries].map(([text, ops]) => ({ ...parseResource(text), ops }));
  }

  /** `{"*":["*"]}`: everything on every unqualified channel. */
  static all(): Capability {
    return new Capability(new Map([['*', new Set(['*'])]]));
  }

  /**
   * Parses a capability from its JSON text or object. Throws 40000 with a sentence naming the
   * problem when it is not a map of resource → array of known operations.
   */
  static parse(input: string | Record<string, unknown>): Capability {
    let value: unknown = input;
    if (typeof input === 'string') {
      try {
        value = JSON.parse(input);
      } catch {
        throw invalid('it is not valid JSON');
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid('it must be a JSON object mapping channel patterns to operation arrays');
    }
    const entries = new Map<string, Set<string>>();
    for (const [resource, ops] of Object.entries(value)) {
      if (resource === '') throw invalid('a channel pattern is empty');
      if (!Array.isArray(ops) || ops.length === 0) {
        throw invalid(`the operations for "${resource}" must be a non-empty array`);
      }
      const set = new Set<string>();
      for (const op of ops) {
        if (typeof op !== 'string' || (op !== '*' && !OPERATION_SET.has(op))) {
          throw invalid(`unknown operation ${JSON.stringify(op)} for "${resource}"`);
        }
        set.add(op);
      }
      // Ably refuses `["*", "publish"]` with 400 (ably-js `rest/capability` "Invalid
      // capabilities 2"): `*` stands for every operation, so it comes alone.
      if (set.has('*') && set.size > 1) {
        throw invalid(
          `"${resource}" lists "*" with other operations; "*" already means every operation, so give ["*"] or only the operations`,
        );
      }
      entries.set(resource, set);
    }
    if (entries.size === 0) throw invalid('it grants nothing');
    return new Capability(entries);
  }

  /** Operations allowed on a channel (union over every matching pattern). */
  opsFor(channel: string): ReadonlySet<Operation> {
    let ops = this.cache.get(channel);
    if (ops) return ops;
    const set = new Set<Operation>();
    for (const r of this.resources) {
      if (!matches(r, channel)) continue;
      if (r.ops.has('*')) {
        for (const op of OPERATIONS) set.add(op);
        break;
      }
      for (const op of r.ops) set.add(op as Operation);
    }
    ops = set;
    // Bounded: a client could attach to endless distinct names.
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(channel, ops);
    return ops;
  }

  /** The resource patterns exactly as given (what a `channel:` revocation target names). */
  resourceNames(): string[] {
    return this.resources.map((r) => r.text);
  }

  /** Whether `op` is allowed on `channel`. */
  allows(channel: string, op: Operation): boolean {
    return this.opsFor(channel).has(op);
  }

  /**
   * The capability a token gets when `requested` is asked of a key with this capability:
   * per resource, the operations both sides grant. Throws 40160 when nothing is left.
   */
  intersect(requested: Capability): Capability {
    const out = new Map<string, Set<string>>();
    const add = (resource: string, ops: Set<string>) => {
      if (ops.size === 0) return;
      const existing = out.get(resource);
      if (existing) for (const op of ops) existing.add(op);
      else out.set(resource, ops);
    };
    for (const r of requested.resources) {
      for (const k of this.resources) {
        if (covers(k, r)) add(r.text, intersectOps(r.ops, k.ops));
        else if (covers(r, k)) add(k.text, intersectOps(r.ops, k.ops));
      }
    }
    if (out.size === 0) {
      throw Errors.notPermitted(
        `Requested capability ${requested.toString()} is not permitted by the key's capability ${this.toString()}.`,
      );
    }
    return new Capability(out);
  }

  /** Canonical JSON text: keys sorted, operations sorted (what ably-js signs and shows). */
  toString(): string {
    const sorted = [...this.resources].sort((a, b) =>
      a.text < b.text ? -1 : a.text > b.text ? 1 : 0,
    );
    const obj: Record<string, string[]> = {};
    for (const r of sorted) obj[r.text] = [...r.ops].sort();
    return JSON.stringify(obj);
  }

  toJSON(): string {
    return this.toString();
  }
}

function invalid(reason: string): AblyError {
  return new AblyError(40000, 400, `Invalid capability: ${reason}. Example: {"*":["*"]}.`);
}
