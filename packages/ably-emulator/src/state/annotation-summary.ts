/**
 * How annotations of a type are aggregated: the `<summarization>` of a `<namespace>:<summarization>.v1`
 * type (Ably docs, "Message annotations").
 */
export type Summarization = 'total' | 'flag' | 'distinct' | 'unique' | 'multiple';

const TYPE = /^.+:(total|flag|distinct|unique|multiple)\.v1$/;

/** The summarization of an annotation type, or `undefined` for a type Ably would refuse. */
export function summarizationOf(type: string): Summarization | undefined {
  return TYPE.exec(type)?.[1] as Summarization | undefined;
}

/** Whether only identified clients may publish annotations of this summarization. */
export function needsClientId(method: Summarization): boolean {
  return method === 'flag' || method === 'distinct' || method === 'unique';
}

/** Whether an annotation of this summarization is aggregated by its `name`. */
export function needsName(method: Summarization): boolean {
  return method === 'distinct' || method === 'unique' || method === 'multiple';
}

/** One annotation as the summary sees it. */
export interface SummaryInput {
  /** 0 create, 1 delete. */
  action: number;
  type: string;
  name?: string;
  count?: number;
  clientId?: string;
}

/** The counts of one `multiple.v1` name. */
interface Counts {
  readonly byClient: Map<string, number>;
  unidentified: number;
}

/** What is kept per annotation type; only the part its summarization uses is filled in. */
interface TypeState {
  readonly method: Summarization;
  total: number;
  /** `flag.v1`: who flagged, in order. */
  readonly flagged: Set<string>;
  /** `distinct.v1` / `unique.v1`: who used each name, in order. */
  readonly clients: Map<string, Set<string>>;
  /** `unique.v1`: the one name each client is counted under. */
  readonly nameOf: Map<string, string>;
  /** `multiple.v1`: the counts of each name. */
  readonly counts: Map<string, Counts>;
}

/**
 * The summary of a message's annotations, updated one annotation at a time, in the wire shape
 * ably-js reads as `message.annotations.summary` (`SummaryTotal`, `SummaryClientIdList`,
 * `SummaryDistinctValues`, `SummaryUniqueValues`, `SummaryMultipleValues`; for `multiple.v1` the
 * per-client counts are under `clientIds`, as ably-js and @ably/chat read them).
 *
 * Rules, per Ably's documentation of each summarization:
 * - `total.v1`: each create adds one, each delete takes one off;
 * - `flag.v1`: a client counts once; delete removes it;
 * - `distinct.v1`: a client counts once per name; delete removes it from that name;
 * - `unique.v1`: a client counts under one name at a time (a new name moves it); delete removes
 *   it (from the name given, or from whichever it has when none is given);
 * - `multiple.v1`: each create adds its `count` (default 1) to the client's count for the name,
 *   or to `totalUnidentified` for a client without clientId; delete removes all of the client's
 *   count for the name.
 *
 * Client lists are never clipped (`clipped: false`): Ably clips them to keep a summary under its
 * message size, which an emulator's rooms do not reach.
 */
export class AnnotationSummary {
  private readonly types = new Map<string, TypeState>();

  /** True when no annotation counts any more. */
  get isEmpty(): boolean {
    for (const state of this.types.values()) if (!isEmptyState(state)) return false;
    return true;
  }

  /**
   * Applies one annotation of a known summarization ({@link summarizationOf}). Returns whether
   * the summary changed (deleting what is not there, or flagging twice, changes nothing).
   */
  apply(a: SummaryInput): boolean {
    const method = summarizationOf(a.type);
    if (method === undefined) return false;
    let state = this.types.get(a.type);
    if (!state) {
      state = {
        method,
        total: 0,
        flagged: new Set(),
        clients: new Map(),
        nameOf: new Map(),
        counts: new Map(),
      };
      this.types.set(a.type, state);
    }
    const create = a.action === 0;
    const changed = create ? add(state, a) : remove(state, a);
    if (isEmptyState(state)) this.types.delete(a.type);
    return changed;
  }

  /** The summary, keyed by annotation type. */
  toWire(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [type, state] of this.types) out[type] = entryOf(state, undefined);
    return out;
  }

  /**
   * The summary restricted to what one client contributed: only the names (or flags) it has,
   * with itself as the only client listed; totals stay the message's. `total.v1` types, which
   * keep no clients, are left out.
   */
  forClient(clientId: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [type, state] of this.types) {
      if (state.method === 'total') continue;
      const entry = entryOf(state, clientId);
      if (entry !== undefined) out[type] = entry;
    }
    return out;
  }
}

function add(state: TypeState, a: SummaryInput): boolean {
  const name = a.name ?? '';
  const clientId = a.clientId;
  switch (state.method) {
    case 'total':
      state.total++;
      return true;
    case 'flag':
      if (clientId === undefined || state.flagged.has(clientId)) return false;
      state.flagged.add(clientId);
      return true;
    case 'distinct':
      if (clientId === undefined) return false;
      return addClient(state, name, clientId);
    case 'unique': {
      if (clientId === undefined) return false;
      const previous = state.nameOf.get(clientId);
      if (previous === name) return false;
      if (previous !== undefined) removeClient(state, previous, clientId);
      state.nameOf.set(clientId, name);
      return addClient(state, name, clientId);
    }
    case 'multiple': {
      let counts = state.counts.get(name);
      if (!counts) state.counts.set(name, (counts = { byClient: new Map(), unidentified: 0 }));
      const count = a.count ?? 1;
      if (clientId === undefined) counts.unidentified += count;
      else counts.byClient.set(clientId, (counts.byClient.get(clientId) ?? 0) + count);
      return true;
    }
  }
}

function remove(state: TypeState, a: SummaryInput): boolean {
  const clientId = a.clientId;
  switch (state.method) {
    case 'total':
      if (state.total === 0) return false;
      state.total--;
      return true;
    case 'flag':
      return clientId !== undefined && state.flagged.delete(clientId);
    case 'distinct':
      return clientId !== undefined && removeClient(state, a.name ?? '', clientId);
    case 'unique': {
      if (clientId === undefined) return false;
      const current = state.nameOf.get(clientId);
      if (current === undefined || (a.name !== undefined && a.name !== current)) return false;
      state.nameOf.delete(clientId);
      return removeClient(state, current, clientId);
    }
    case 'multiple': {
      const name = a.name ?? '';
      const counts = state.counts.get(name);
      if (clientId === undefined || !counts?.byClient.delete(clientId)) return false;
      if (counts.byClient.size === 0 && counts.unidentified === 0) state.counts.delete(name);
      return true;
    }
  }
}

function addClient(state: TypeState, name: string, clientId: string): boolean {
  let clients = state.clients.get(name);
  if (!clients) state.clients.set(name, (clients = new Set()));
  if (clients.has(clientId)) return false;
  clients.add(clientId);
  return true;
}

function removeClient(state: TypeState, name: string, clientId: string): boolean {
  const clients = state.clients.get(name);
  if (!clients?.delete(clientId)) return false;
  if (clients.size === 0) state.clients.delete(name);
  return true;
}

function isEmptyState(state: TypeState): boolean {
  return (
    state.total === 0 &&
    state.flagged.size === 0 &&
    state.clients.size === 0 &&
    state.counts.size === 0
  );
}

/** The wire summary entry of one type; only `clientId`'s part of it when one is given. */
function entryOf(state: TypeState, clientId: string | undefined): unknown {
  const listed = (clients: Set<string>) =>
    clientId === undefined ? [...clients] : clients.has(clientId) ? [clientId] : undefined;
  switch (state.method) {
    case 'total':
      return { total: state.total };
    case 'flag': {
      const clientIds = listed(state.flagged);
      return clientIds && { total: state.flagged.size, clientIds, clipped: false };
    }
    case 'distinct':
    case 'unique': {
      const out: [string, unknown][] = [];
      for (const [name, clients] of state.clients) {
        const clientIds = listed(clients);
        if (clientIds) out.push([name, { total: clients.size, clientIds, clipped: false }]);
      }
      return byName(out, clientId);
    }
    case 'multiple': {
      const out: [string, unknown][] = [];
      for (const [name, counts] of state.counts) {
        let total = counts.unidentified;
        for (const n of counts.byClient.values()) total += n;
        const mine = clientId === undefined ? undefined : counts.byClient.get(clientId);
        if (clientId !== undefined && mine === undefined) continue;
        out.push([
          name,
          {
            total,
            clientIds: Object.fromEntries(
              clientId === undefined ? counts.byClient : [[clientId, mine as number]],
            ),
            totalUnidentified: counts.unidentified,
            clipped: false,
            totalClientIds: counts.byClient.size,
          },
        ]);
      }
      return byName(out, clientId);
    }
  }
}

/**
 * Names → entries as an object, built with `Object.fromEntries` so that any name (`__proto__`
 * included) is an ordinary key; `undefined` for a client with none of them.
 */
function byName(entries: [string, unknown][], clientId: string | undefined): unknown {
  return clientId !== undefined && entries.length === 0 ? undefined : Object.fromEntries(entries);
}
