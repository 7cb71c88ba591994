import { Component, type ReactNode } from 'react';

/** Catches a render error so a test can assert on it (React logs it, the test stays in control). */
export class ErrorBoundary extends Component<
  { children: ReactNode; onError: (error: unknown) => void },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    return this.state.failed ? <p>render failed</p> : this.props.children;
  }
}
