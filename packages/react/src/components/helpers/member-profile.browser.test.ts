import { expect, test } from 'vitest';

import { MAX_NAME_LENGTH, memberProfile } from './member-profile';
import { memberStatus } from './member-status';

const entry = (data: unknown, extra: Partial<{ isSelf: boolean; leftAt: number }> = {}) => ({
  key: 'k',
  clientId: 'client-1',
  data,
  isSelf: false,
  ...extra,
});

test('reads name, avatar and status from presence data', () => {
  const profile = memberProfile(
    entry({ name: 'Ada', avatar: 'https://example.com/ada.png', status: 'away' }),
  );
  expect(profile).toMatchObject({
    name: 'Ada',
    avatarUrl: 'https://example.com/ada.png',
    status: 'away',
    clientId: 'client-1',
    connectionCount: 1,
  });
  expect(
    memberProfile(entry({ displayName: 'Grace', avatarUrl: 'https://e.com/g.png' })),
  ).toMatchObject({
    name: 'Grace',
    avatarUrl: 'https://e.com/g.png',
  });
});

test('falls back to the clientId and refuses unsafe or inherited values', () => {
  expect(memberProfile(entry(undefined)).name).toBe('client-1');
  expect(memberProfile(entry('a string')).name).toBe('client-1');
  expect(memberProfile(entry(['Ada'])).name).toBe('client-1');
  expect(memberProfile(entry({ name: '   ' })).name).toBe('client-1');
  expect(memberProfile(entry({ name: { toString: () => 'x' } })).name).toBe('client-1');
  expect(memberProfile(entry(Object.create({ name: 'inherited' }))).name).toBe('client-1');
  expect(
    memberProfile(entry({ name: 'M', avatar: 'javascript:alert(1)' })).avatarUrl,
  ).toBeUndefined();
});

test('avatars on private addresses are refused unless the avatarUrl resolver decides otherwise', () => {
  const data = { name: 'Eve', image: 'http://169.254.169.254/latest/meta-data' };
  expect(memberProfile(entry(data)).avatarUrl).toBeUndefined();
  const seen: unknown[] = [];
  const proxied = memberProfile(entry(data), (url, member) => {
    seen.push(member);
    return `https://app.example/avatar?u=${encodeURIComponent(url)}`;
  });
  expect(proxied.avatarUrl).toBe(
    'https://app.example/avatar?u=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data',
  );
  expect(seen).toEqual([entry(data)]);
  expect(memberProfile(entry(data), () => 'javascript:alert(1)').avatarUrl).toBeUndefined();
});

test('cuts very long names without splitting a character', () => {
  const name = `${'🦊'.repeat(MAX_NAME_LENGTH)}tail`;
  const shown = memberProfile(entry({ name })).name;
  expect(Array.from(shown)).toHaveLength(MAX_NAME_LENGTH + 1);
  expect(shown.endsWith('🦊…')).toBe(true);
});

test('status: announced, left, or online by default', () => {
  expect(memberStatus({ status: 'busy' })).toBe('busy');
  expect(memberStatus({ status: 'away' }, 123)).toBe('left');
  expect(memberStatus({ status: 'sleeping' })).toBe('online');
  expect(memberStatus(null)).toBe('online');
  expect(memberStatus(Object.create({ status: 'away' }))).toBe('online');
});
