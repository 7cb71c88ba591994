import { describe, expect, test } from 'vitest';

import { PresenceKitError, isPresenceKitError, toPresenceKitError } from './errors';

describe('PresenceKitError', () => {
  test('carries a code, Ably codes read from the cause, and the cause', () => {
    const cause = Object.assign(new Error('Token expired'), { code: 40142, statusCode: 401 });
    const error = toPresenceKitError(cause, 'occupancy_fetch_failed', 'Could not fetch occupancy');
    expect(error).toBeInstanceOf(PresenceKitError);
    expect(error.code).toBe('occupancy_fetch_failed');
    expect(error.ablyCode).toBe(40142);
    expect(error.statusCode).toBe(401);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Could not fetch occupancy (Ably: Token expired)');
  });

  test("maps Ably's 'room exists with different options' to room_options_conflict", () => {
    const cause = { code: 102107, statusCode: 400, message: 'room already exists' };
    const error = toPresenceKitError(cause, 'room_unavailable', 'Could not get room');
    expect(error.code).toBe('room_options_conflict');
    expect(error.message).toMatch(/equal options/);
  });

  test("maps Ably's 'too many presence members' (91003) to presence_limit_reached", () => {
    const cause = { code: 91003, statusCode: 400, message: 'maximum number of 200 members' };
    const error = toPresenceKitError(cause, 'presence_enter_failed', 'Could not enter');
    expect(error.code).toBe('presence_limit_reached');
    expect(error.ablyCode).toBe(91003);
    expect(error.message).toMatch(/useOccupancy\(\) or <ViewerCount>/);
  });

  test('is recognised across copies of the package, and never wrapped twice', () => {
    const original = new PresenceKitError('invalid_argument', 'Pass a name.');
    expect(toPresenceKitError(original, 'unknown', 'x')).toBe(original);
    const lookalike = Object.assign(new Error('x'), { name: 'PresenceKitError', code: 'unknown' });
    expect(isPresenceKitError(lookalike)).toBe(true);
    expect(isPresenceKitError(new Error('x'))).toBe(false);
    expect(isPresenceKitError({ name: 'PresenceKitError', code: 'unknown' })).toBe(false);
  });
});
