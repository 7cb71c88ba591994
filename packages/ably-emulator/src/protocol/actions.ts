/**
 * Wire enumerations of the Ably realtime protocol (version 6), as ably-js 2.28 reads them.
 * Numbers only: these values travel in every frame.
 */

/** ProtocolMessage `action`. */
export const Action = {
  HEARTBEAT: 0,
  ACK: 1,
  NACK: 2,
  CONNECT: 3,
  CONNECTED: 4,
  DISCONNECT: 5,
  DISCONNECTED: 6,
  CLOSE: 7,
  CLOSED: 8,
  ERROR: 9,
  ATTACH: 10,
  ATTACHED: 11,
  DETACH: 12,
  DETACHED: 13,
  PRESENCE: 14,
  MESSAGE: 15,
  SYNC: 16,
  AUTH: 17,
  ACTIVATE: 18,
  OBJECT: 19,
  OBJECT_SYNC: 20,
  ANNOTATION: 21,
} as const;
export type Action = (typeof Action)[keyof typeof Action];

/** ProtocolMessage `flags` bits. The mode bits (16 and up) say what an attachment may do. */
export const Flag = {
  HAS_PRESENCE: 1 << 0,
  HAS_BACKLOG: 1 << 1,
  RESUMED: 1 << 2,
  TRANSIENT: 1 << 4,
  ATTACH_RESUME: 1 << 5,
  HAS_OBJECTS: 1 << 7,
  PRESENCE: 1 << 16,
  PUBLISH: 1 << 17,
  SUBSCRIBE: 1 << 18,
  PRESENCE_SUBSCRIBE: 1 << 19,
  ANNOTATION_PUBLISH: 1 << 21,
  ANNOTATION_SUBSCRIBE: 1 << 22,
  OBJECT_SUBSCRIBE: 1 << 24,
  OBJECT_PUBLISH: 1 << 25,
} as const;

/** Every channel mode bit a client may request in ATTACH `flags`. */
export const MODE_MASK =
  Flag.PRESENCE |
  Flag.PUBLISH |
  Flag.SUBSCRIBE |
  Flag.PRESENCE_SUBSCRIBE |
  Flag.ANNOTATION_PUBLISH |
  Flag.ANNOTATION_SUBSCRIBE |
  Flag.OBJECT_SUBSCRIBE |
  Flag.OBJECT_PUBLISH;

/** PresenceMessage `action`. */
export const PresenceAction = {
  ABSENT: 0,
  PRESENT: 1,
  ENTER: 2,
  LEAVE: 3,
  UPDATE: 4,
} as const;
export type PresenceAction = (typeof PresenceAction)[keyof typeof PresenceAction];

/** Message `action`. */
export const MessageAction = {
  CREATE: 0,
  UPDATE: 1,
  DELETE: 2,
  META: 3,
  SUMMARY: 4,
  APPEND: 5,
} as const;

/** Annotation `action`. */
export const AnnotationAction = {
  CREATE: 0,
  DELETE: 1,
} as const;
