import type { Rng } from './rng';

/**
 * Random values for fuzzing: every JSON / msgpack type, the edges of each (empty, huge, negative,
 * non-integer), hostile strings, and nesting. Shared by the frame and HTTP fuzzers.
 */

/** Strings that have broken parsers, renderers or prototype handling somewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '\u202e', // right-to-left override
  '\ud800', // lone surrogate
  '💥'.repeat(50),
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '%00%zz%',
  '../../etc/passwd',
  ':',
  '*',
  '[meta]occupancy',
  '::$chat',
  '{"action":10}',
  'null',
  'NaN',
  '-0',
  '1e309',
];

export interface ValueOptions {
  /** Whether bytes may appear (msgpack frames carry them; JSON would turn them into objects). */
  binary: boolean;
  /** Longest string generated. */
  maxString: number;
}

/** A random value of a random type. */
export function randomValue(rng: Rng, options: ValueOptions, depth = 0): unknown {
  const kind = rng.weighted({
    string: 4,
    hostile: 2,
    int: 2,
    edgeNumber: 1,
    bool: 1,
    null: 1,
    array: depth < 4 ? 1 : 0,
    object: depth < 4 ? 2 : 0,
    bytes: options.binary ? 1 : 0,
    long: depth === 0 ? 0.3 : 0,
  });
  switch (kind) {
    case 'string':
      return rng.string(rng.int(0, 24));
    case 'hostile':
      return rng.pick(HOSTILE_STRINGS);
    case 'int':
      return rng.int(-1000, 1000);
    case 'edgeNumber':
      return rng.pick([
        -1,
        0,
        -0,
        0.5,
        -1.5,
        2 ** 31,
        2 ** 32,
        2 ** 53,
        2 ** 53 + 2,
        -(2 ** 53),
        Number.MAX_VALUE,
        Number.MIN_VALUE,
        1e21,
      ]);
    case 'bool':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, options, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(0, 5); i > 0; i--) {
        const key = rng.chance(0.2) ? rng.pick(HOSTILE_STRINGS) : rng.string(rng.int(1, 10));
        // defineProperty: a "__proto__" key must become an own property, as a parser makes it.
        Object.defineProperty(out, key, {
          value: randomValue(rng, options, depth + 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return out;
    }
    case 'bytes':
      return rng.bytes(rng.int(0, 64));
    case 'long':
      return 'x'.repeat(rng.int(1_000, options.maxString));
  }
}
