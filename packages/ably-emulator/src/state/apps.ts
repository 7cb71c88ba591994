import { Capability } from '../auth/capability.js';
import { type ApiKey, createApiKey, parseKeyString } from '../auth/keys.js';
import { PresenceAction } from '../protocol/actions.js';
import { Errors } from '../protocol/errors.js';
import { isRecord } from '../protocol/parse.js';
import type { WireData } from '../protocol/types.js';
import { App, type AppConfig, type NamespaceSpec } from './app.js';
import { randomId } from './ids.js';
import type { AppObserver } from './observer.js';
import { memberKey } from './presence-set.js';

/** A key in an {@link AppSpec}. */
export interface KeySpec {
  /** Capability as JSON text or object. @defaultValue `{"*":["*"]}` */
  capability?: string | Record<string, unknown>;
  /** Fixed key id (random when omitted). */
  keyId?: string;
  /** Fixed secret (random when omitted). */
  secret?: string;
  /**
   * Tokens issued from this key can be revoked (`revokeTokens`), as the key setting of the same
   * name on Ably; such tokens live at most one hour. @defaultValue false
   */
  revocableTokens?: boolean;
}

/**
 * A presence member present from the start (sandbox "presence fixtures"), with its ENTER in
 * presence history; never leaves.
 */
export interface PresenceFixture {
  clientId: string;
  data?: WireData;
  encoding?: string;
}

/**
 * What an app is created from: the Ably sandbox app spec (`POST /apps` body), plus optional
 * fixed ids for in-process use.
 *
 * @example
 * ```ts
 * emulator.createApp({
 *   keys: [{}, { capability: '{"chat:*":["subscribe"]}' }],
 *   namespaces: [{ id: 'persisted', persisted: true }],
 *   channels: [{ name: 'persisted:fixtures', presence: [{ clientId: 'bob', data: 'hi' }] }],
 * });
 * ```
 */
export interface AppSpec {
  /** Fixed app id (random when omitted). Letters, digits, `-` and `_`. */
  appId?: string;
  /** @defaultValue one key with every capability */
  keys?: KeySpec[];
  namespaces?: NamespaceSpec[];
  channels?: { name: string; presence?: PresenceFixture[] }[];
}

const APP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** All apps of an emulator, and the lookups authentication needs. */
export class AppRegistry {
  private readonly apps = new Map<string, App>();
  private observer: AppObserver | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes `observer` hear every app's changes, those of apps created later too. */
  observe(observer: AppObserver): void {
    this.observer = observer;
    for (const app of this.apps.values()) app.observer = observer;
  }

  /** Number of apps. */
  get size(): number {
    return this.apps.size;
  }

  /** All apps. */
  values(): IterableIterator<App> {
    return this.apps.values();
  }

  /** An app by id. */
  get(appId: string): App | undefined {
    return this.apps.get(appId);
  }

  /** A key (and its app) by keyName `appId.keyId`. */
  findKey(keyName: string): { app: App; key: ApiKey } | undefined {
    const dot = keyName.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const app = this.apps.get(keyName.slice(0, dot));
    const key = app?.keys.get(keyName);
    return app && key ? { app, key } : undefined;
  }

  /**
   * Creates an isolated app from a spec. Throws 40000/40003 with a sentence naming the bad
   * field; nothing is registered when the spec is invalid.
   */
  create(spec: AppSpec = {}): App {
    if (!isRecord(spec)) throw Errors.badRequest('The app spec must be a JSON object.');
    const appId = spec.appId ?? randomId(6);
    if (typeof appId !== 'string' || !APP_ID_PATTERN.test(appId)) {
      throw Errors.invalidParameter('appId must be 1-64 letters, digits, "-" or "_".');
    }
    if (this.apps.has(appId)) throw Errors.invalidParameter(`App "${appId}" already exists.`);
    const app = new App(appId, `acc-${randomId(6)}`, this.config, this.now);

    const keys = spec.keys ?? [{}];
    if (!Array.isArray(keys)) throw Errors.badRequest('"keys" must be an array of key specs.');
    for (const [i, k] of keys.entries()) {
      if (!isRecord(k)) throw Errors.badRequest(`keys[${i}] must be an object.`);
      const cap = k.capability;
      if (cap !== undefined && typeof cap !== 'string' && !isRecord(cap)) {
        throw Errors.badRequest(`keys[${i}].capability must be a JSON string or object.`);
      }
      const capability = cap === undefined ? Capability.all() : Capability.parse(cap);
      const key = createApiKey(appId, capability, {
        ...(typeof k.keyId === 'string' ? { keyId: k.keyId } : {}),
        ...(typeof k.secret === 'string' ? { secret: k.secret } : {}),
        revocableTokens: k.revocableTokens === true,
      });
      if (app.keys.has(key.keyName))
        throw Errors.invalidParameter(`Duplicate key "${key.keyName}".`);
      app.addKey(key);
    }

    const namespaces = spec.namespaces ?? [];
    if (!Array.isArray(namespaces)) throw Errors.badRequest('"namespaces" must be an array.');
    for (const [i, ns] of namespaces.entries()) {
      if (!isRecord(ns) || typeof ns.id !== 'string' || ns.id === '') {
        throw Errors.badRequest(`namespaces[${i}] must be an object with a non-empty "id".`);
      }
      app.addNamespace({ id: ns.id, persisted: ns.persisted === true });
    }

    const channels = spec.channels ?? [];
    if (!Array.isArray(channels)) throw Errors.badRequest('"channels" must be an array.');
    // Fixture members belong to no live connection; one made-up connection id per app.
    const fixtureConnectionId = `fixture-${randomId(6)}`;
    let fixtureIndex = 0;
    for (const [i, c] of channels.entries()) {
      if (!isRecord(c) || typeof c.name !== 'string' || c.name === '') {
        throw Errors.badRequest(`channels[${i}] must be an object with a non-empty "name".`);
      }
      const presence = c.presence ?? [];
      if (!Array.isArray(presence))
        throw Errors.badRequest(`channels[${i}].presence must be an array.`);
      const channel = app.channel(c.name);
      for (const [j, p] of presence.entries()) {
        if (!isRecord(p) || typeof p.clientId !== 'string' || p.clientId === '') {
          throw Errors.badRequest(`channels[${i}].presence[${j}] needs a non-empty "clientId".`);
        }
        const member = {
          id: `${fixtureConnectionId}:0:${fixtureIndex++}`,
          clientId: p.clientId,
          connectionId: fixtureConnectionId,
          timestamp: this.now(),
          ...(p.data !== undefined && p.data !== null ? { data: p.data as WireData } : {}),
          ...(typeof p.encoding === 'string' ? { encoding: p.encoding } : {}),
        };
        channel.presence.set({ key: memberKey(p.clientId, fixtureConnectionId), ...member });
        // The sandbox enters fixtures as a client would: their ENTERs are in presence history
        // (RSP4; ably-js's "Presence history simple" reads them back).
        channel.presenceHistory.append({ action: PresenceAction.ENTER, ...member });
      }
    }
    app.observer = this.observer;
    this.apps.set(appId, app);
    return app;
  }

  /**
   * Removes an app from the registry. The caller (the emulator) closes its connections first.
   * Returns false when there is no such app.
   */
  delete(appId: string): boolean {
    return this.apps.delete(appId);
  }

  /** Finds the app and key of a full key string, if it is well formed. */
  parseKey(keyStr: string): { app: App; key: ApiKey } | undefined {
    const parsed = parseKeyString(keyStr);
    return parsed ? this.findKey(parsed.keyName) : undefined;
  }
}
