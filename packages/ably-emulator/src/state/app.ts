import { type ApiKey, keyString } from '../auth/keys.js';
import type { Revocation } from '../auth/revocation.js';
import type { TokenRecord } from '../auth/tokens.js';
import { Channel } from './channel.js';
import type { Connection } from './connection.js';
import type { AppObserver } from './observer.js';

/** Per-app settings, resolved from the emulator options. */
export interface AppConfig {
  /** History kept of messages and presence events on ordinary channels. */
  historyRetentionMs: number;
  /** History kept on channels of a `persisted` namespace. */
  persistedHistoryRetentionMs: number;
  /** Most members one channel's presence set holds (91003 beyond). */
  maxPresenceMembers: number;
  /** Most bytes of member data one channel's presence set holds; 0: no limit (91006 beyond). */
  maxPresenceDataBytes: number;
}

/** A namespace of an app (the part of a channel name before the first `:`). */
export interface NamespaceSpec {
  id: string;
  /** Keep history for {@link AppConfig.persistedHistoryRetentionMs}. @defaultValue false */
  persisted?: boolean;
}

/** What {@link App.describe} returns: the body of the sandbox's `POST /apps` answer (minus where to connect). */
export interface AppDescription {
  appId: string;
  accountId: string;
  keys: { id: string; keyName: string; keySecret: string; keyStr: string; capability: string }[];
  namespaces: { id: string; persisted: boolean }[];
}

/**
 * One isolated app: its keys, namespaces, issued tokens, channels and live connections.
 * Nothing is shared between apps except the listener.
 */
export class App {
  /** Keys by keyName. */
  readonly keys = new Map<string, ApiKey>();
  readonly namespaces = new Map<string, { id: string; persisted: boolean }>();
  /** Channels by name; created on first use and forgotten when idle. */
  readonly channels = new Map<string, Channel>();
  /** Issued (opaque) tokens by token string. */
  readonly tokens = new Map<string, TokenRecord>();
  /** Live and resumable connections of this app. */
  readonly connections = new Set<Connection>();
  /** Hears every change of connections, attachments and broadcasts (the inspector), if any. */
  observer: AppObserver | undefined;
  private readonly nonces = new Map<string, number>();
  /** Token revocations per keyName, oldest first. */
  private readonly revocations = new Map<string, Revocation[]>();

  constructor(
    readonly id: string,
    readonly accountId: string,
    readonly config: AppConfig,
    /** The emulator clock (ms since the epoch). */
    readonly now: () => number = Date.now,
  ) {}

  /** Adds a key to the app. */
  addKey(key: ApiKey): void {
    this.keys.set(key.keyName, key);
  }

  /** The first key (the one `POST /apps` lists first). */
  get primaryKey(): ApiKey | undefined {
    return this.keys.values().next().value;
  }

  /** Declares a namespace. */
  addNamespace(ns: NamespaceSpec): void {
    this.namespaces.set(ns.id, { id: ns.id, persisted: ns.persisted === true });
  }

  /** How long history is kept on channels of a namespace. */
  retentionFor(namespace: string | undefined): number {
    const persisted = namespace !== undefined && this.namespaces.get(namespace)?.persisted === true;
    return persisted ? this.config.persistedHistoryRetentionMs : this.config.historyRetentionMs;
  }

  /** The channel, if it exists. */
  findChannel(name: string): Channel | undefined {
    return this.channels.get(name);
  }

  /** The channel, created when it does not exist yet. */
  channel(name: string): Channel {
    let ch = this.channels.get(name);
    if (!ch) this.channels.set(name, (ch = new Channel(name, this)));
    return ch;
  }

  /** Forgets channels nobody uses and whose history has expired. */
  sweepChannels(): void {
    for (const [name, ch] of this.channels) if (ch.isIdle()) this.channels.delete(name);
  }

  /** Records an issued token (and drops expired ones now and then). */
  storeToken(record: TokenRecord): void {
    if (this.tokens.size > 1000 && this.tokens.size % 1000 === 0) {
      const now = this.now();
      for (const [t, r] of this.tokens) if (r.expires <= now) this.tokens.delete(t);
    }
    this.tokens.set(record.token, record);
  }

  /** Records a TokenRequest nonce; false when it was already used. */
  useNonce(keyName: string, nonce: string, timestamp: number): boolean {
    const id = `${keyName}\n${nonce}`;
    if (this.nonces.has(id)) return false;
    if (this.nonces.size > 10_000) {
      const cutoff = this.now() - 20 * 60 * 1000;
      for (const [k, t] of this.nonces) if (t < cutoff) this.nonces.delete(k);
    }
    this.nonces.set(id, timestamp);
    return true;
  }

  /** The revocations recorded for a key's tokens. */
  revocationsOf(keyName: string): readonly Revocation[] {
    return this.revocations.get(keyName) ?? [];
  }

  /**
   * Records a revocation for a key's tokens, forgetting those that only cover tokens issued
   * before `forgetBefore` (every such token has expired).
   */
  addRevocation(keyName: string, revocation: Revocation, forgetBefore: number): void {
    const kept = this.revocationsOf(keyName).filter((r) => r.issuedBefore >= forgetBefore);
    this.revocations.set(keyName, [...kept, revocation]);
  }

  /** The sandbox-style description of the app (keys with secrets: handle with care). */
  describe(): AppDescription {
    return {
      appId: this.id,
      accountId: this.accountId,
      keys: [...this.keys.values()].map((k) => ({
        id: k.keyId,
        keyName: k.keyName,
        keySecret: k.secret,
        keyStr: keyString(k),
        capability: k.capability.toString(),
      })),
      namespaces: [...this.namespaces.values()],
    };
  }
}
