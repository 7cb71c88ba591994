import { describe, expect, test } from 'vitest';
import { Capability, modesFor } from '../src/auth/capability.js';
import { Flag } from '../src/protocol/actions.js';

describe('Capability', () => {
  test('patterns: exact, *, namespace:*, [*]*, [meta]', () => {
    const cap = Capability.parse({
      exact: ['publish'],
      'ns:*': ['subscribe'],
      '[meta]*': ['subscribe'],
    });
    expect([...cap.opsFor('exact')]).toEqual(['publish']);
    expect(cap.opsFor('exactly').size).toBe(0);
    expect([...cap.opsFor('ns:a')]).toEqual(['subscribe']);
    expect([...cap.opsFor('ns:a::$chat')]).toEqual(['subscribe']);
    expect(cap.opsFor('nsx').size).toBe(0);
    expect([...cap.opsFor('[meta]log')]).toEqual(['subscribe']);
    expect(Capability.all().opsFor('[meta]log').size).toBe(0);
    expect(Capability.all().allows('anything', 'presence')).toBe(true);
    expect(Capability.parse({ '[*]*': ['history'] }).allows('[meta]x', 'history')).toBe(true);
    expect(Capability.all().allows('[?rewind=1]plain', 'publish')).toBe(true);
  });

  test('ops map to mode flags', () => {
    expect(modesFor(new Set(['subscribe']))).toBe(Flag.SUBSCRIBE | Flag.PRESENCE_SUBSCRIBE);
    expect(modesFor(new Set(['publish', 'presence']))).toBe(Flag.PUBLISH | Flag.PRESENCE);
    expect(modesFor(new Set(['history']))).toBe(0);
  });

  test('intersection keeps what both grant, per resource', () => {
    const key = Capability.parse({ 'chat:*': ['publish', 'subscribe'], lobby: ['*'] });
    const token = key.intersect(Capability.parse({ '*': ['subscribe', 'presence'] }));
    expect(token.toString()).toBe('{"chat:*":["subscribe"],"lobby":["presence","subscribe"]}');
    const narrow = Capability.all().intersect(Capability.parse({ 'chat:a': ['publish'] }));
    expect(narrow.toString()).toBe('{"chat:a":["publish"]}');
    expect(() => key.intersect(Capability.parse({ other: ['publish'] }))).toThrow(
      expect.objectContaining({ code: 40160 }),
    );
  });

  test('canonical text sorts resources and operations', () => {
    expect(Capability.parse('{"b":["subscribe","publish"],"a":["*"]}').toString()).toBe(
      '{"a":["*"],"b":["publish","subscribe"]}',
    );
  });

  test('invalid capabilities are rejected with 40000 and a reason', () => {
    for (const bad of [
      'nope',
      '[]',
      '{}',
      '{"a":[]}',
      '{"a":["fly"]}',
      '{"":["*"]}',
      '{"a":["*","publish"]}',
      '{"a":["subscribe"],"b":["publish","*"]}',
    ]) {
      expect(() => Capability.parse(bad)).toThrow(expect.objectContaining({ code: 40000 }));
    }
  });
});
