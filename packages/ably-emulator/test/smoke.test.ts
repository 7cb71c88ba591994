import { expect, test } from 'vitest';
import { placeholder } from '../src/index.js';

test('package loads', () => {
  expect(placeholder).toBe(true);
});
