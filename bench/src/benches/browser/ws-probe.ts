/**
 * Notes the arrival of every WebSocket frame before the SDK's own handler runs. A module of its
 * own, imported first by the page: the SDK takes `WebSocket` when it loads, so the wrapper must
 * be in place before that.
 */

export const probe = { framesReceived: 0, lastFrameAt: 0 };

const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.addEventListener('message', () => {
      probe.framesReceived += 1;
      probe.lastFrameAt = performance.now();
    });
  }
};
