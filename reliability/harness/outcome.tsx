import { isPresenceKitError } from '@presencekit/react';
import { render, screen } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { expect, vi } from 'vitest';

/**
 * How a piece of UI given bad input ended up: rendered (every hook settled, `ready` or with a
 * typed error in `error`), or thrown into the nearest error boundary. Anything else — an untyped
 * throw, a crash past the boundary, hooks stuck in `loading` — is what the library-input tests
 * exist to catch.
 */
export type Outcome =
  | { kind: 'rendered'; statuses: string[]; codes: string[] }
  | { kind: 'stuck'; statuses: string[] }
  | { kind: 'caught'; code: string | undefined; name: string; message: string };

class Boundary extends Component<
  { children: ReactNode; onError: (error: unknown) => void },
  { error: unknown }
> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown) {
    this.props.onError(error);
  }

  override render() {
    return this.state.error === undefined ? this.props.children : <p>caught</p>;
  }
}

/** What a subject reports once per commit: the `status` and `error` of each hook it uses. */
export type Report = (hooks: { status: string; error: unknown }[]) => void;

/**
 * Renders `subject(report)` inside an error boundary next to a sibling, and waits until the
 * outcome is known: the boundary caught something, or every hook left `loading`. Asserts the
 * sibling survived.
 */
export async function outcomeOf(
  subject: (report: Report) => ReactNode,
  { timeoutMs = 15_000 } = {},
): Promise<Outcome> {
  let caught: unknown;
  let hooks: { status: string; error: unknown }[] | undefined;
  const report: Report = (h) => {
    hooks = h;
  };
  // React logs every error a boundary catches, and React 18 also reports it as an uncaught
  // window error (which jsdom prints); here those errors are the expected result.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const swallow = (event: ErrorEvent) => event.preventDefault();
  window.addEventListener('error', swallow);
  try {
    render(
      <div>
        <Boundary onError={(e) => (caught = e)}>{subject(report)}</Boundary>
        <p>sibling still here</p>
      </div>,
    );
    await vi
      .waitFor(
        () => {
          if (caught !== undefined) return;
          expect(hooks, 'the subject never rendered').toBeDefined();
          expect(hooks!.map((h) => h.status)).not.toContain('loading');
        },
        { timeout: timeoutMs, interval: 20 },
      )
      .catch(() => undefined);
  } finally {
    window.removeEventListener('error', swallow);
    quiet.mockRestore();
  }
  expect(screen.getByText('sibling still here')).toBeTruthy();
  if (caught !== undefined) {
    const e = caught as { code?: unknown; name?: unknown; message?: unknown };
    return {
      kind: 'caught',
      code: isPresenceKitError(caught) ? (e.code as string) : undefined,
      name: String(e.name),
      message: String(e.message),
    };
  }
  if (!hooks || hooks.some((h) => h.status === 'loading'))
    return { kind: 'stuck', statuses: hooks?.map((h) => h.status) ?? [] };
  return {
    kind: 'rendered',
    statuses: hooks.map((h) => h.status),
    codes: hooks
      .map((h) => (isPresenceKitError(h.error) ? h.error.code : h.error === undefined ? '' : '?'))
      .filter((c) => c !== ''),
  };
}
