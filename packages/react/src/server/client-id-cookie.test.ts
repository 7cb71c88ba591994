// @vitest-environment node
import { describe, expect, test } from 'vitest';

import { readClientIdCookie } from './client-id-cookie';

describe('readClientIdCookie', () => {
  test('reads the id from a header or a Request, ignoring other cookies', () => {
    const id = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(readClientIdCookie(`a=1; presencekit_client_id=${id}; b=2`)).toBe(id);
    const request = new Request('http://x/', { headers: { cookie: `other=${id}; sid=abcdefgh` } });
    expect(readClientIdCookie(request)).toBeUndefined();
    expect(readClientIdCookie(request, 'sid')).toBe('abcdefgh');
    expect(readClientIdCookie(null)).toBeUndefined();
  });

  test('treats a tampered value as absent', () => {
    expect(readClientIdCookie('presencekit_client_id=*')).toBeUndefined();
    expect(readClientIdCookie('presencekit_client_id=<script>alert(1)</script>')).toBeUndefined();
    expect(readClientIdCookie('presencekit_client_id=short')).toBeUndefined();
    expect(readClientIdCookie(`presencekit_client_id=${'x'.repeat(65)}`)).toBeUndefined();
  });
});
