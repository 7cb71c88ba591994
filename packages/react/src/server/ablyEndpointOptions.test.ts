// @vitest-environment node
import { describe, expect, test } from 'vitest';

import { ablyEndpointOptions } from './ablyEndpointOptions';

describe('ablyEndpointOptions', () => {
  test('maps emulator and TLS URLs to ably client options', () => {
    expect(ablyEndpointOptions('http://127.0.0.1:8787')).toEqual({
      endpoint: '127.0.0.1',
      port: 8787,
      tls: false,
    });
    expect(ablyEndpointOptions('http://localhost')).toEqual({
      endpoint: 'localhost',
      port: 80,
      tls: false,
    });
    expect(ablyEndpointOptions('http://[::1]:9000/')).toEqual({
      endpoint: '::1',
      port: 9000,
      tls: false,
    });
    expect(ablyEndpointOptions('https://ably.example.com')).toEqual({
      endpoint: 'ably.example.com',
      tlsPort: 443,
      tls: true,
    });
  });

  test('unset means Ably itself; anything else is an invalid_argument error', () => {
    expect(ablyEndpointOptions(undefined)).toEqual({});
    expect(ablyEndpointOptions('')).toEqual({});
    expect(() => ablyEndpointOptions('127.0.0.1:8787')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => ablyEndpointOptions('ws://127.0.0.1:8787')).toThrow(/http\(s\) URL/);
  });
});
