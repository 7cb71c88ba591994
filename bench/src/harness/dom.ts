import { JSDOM } from 'jsdom';

/**
 * A jsdom window as the globals React DOM expects, with real `requestAnimationFrame` timing
 * (`pretendToBeVisual`: 60 Hz) so frame-batched rendering behaves as in a browser. Call before
 * importing react-dom.
 */
export function installDom(): JSDOM {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    pretendToBeVisual: true,
    url: 'http://localhost/',
  });
  const g = globalThis as Record<string, unknown>;
  const w = dom.window as unknown as Record<string, unknown>;
  g.window = dom.window;
  for (const name of [
    'document',
    'navigator',
    'HTMLElement',
    'HTMLIFrameElement',
    'Element',
    'Node',
    'Text',
    'Event',
    'MutationObserver',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'getComputedStyle',
  ]) {
    if (!(name in g) || name === 'requestAnimationFrame' || name === 'cancelAnimationFrame') {
      Object.defineProperty(g, name, {
        configurable: true,
        writable: true,
        value:
          typeof w[name] === 'function' && /^[a-z]/.test(name)
            ? (w[name] as () => unknown).bind(dom.window)
            : w[name],
      });
    }
  }
  return dom;
}
