import { version } from 'react';
import { expect, test } from 'vitest';
import { render } from 'vitest-browser-react';

// Proves each browser project runs on the React it claims (the aliases really apply).
test('runs on the expected React major version', async () => {
  const expected = import.meta.env.PRESENCEKIT_EXPECT_REACT as string | undefined;
  expect(expected).toMatch(/^(18|19)$/);
  expect(version.split('.')[0]).toBe(expected);
  const screen = await render(<p>React {version}</p>);
  await expect.element(screen.getByText(`React ${version}`)).toBeVisible();
});
