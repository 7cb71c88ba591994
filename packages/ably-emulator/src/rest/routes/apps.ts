import { parseKeyString } from '../../auth/keys.js';
import { Errors } from '../../protocol/errors.js';
import type { Route } from '../router.js';

/**
 * Test-app provisioning like Ably's sandbox, so existing SDK test suites can create their apps.
 *
 * `POST /apps` takes the sandbox app spec (`keys` with optional `capability` and
 * `revocableTokens`, `namespaces` with `persisted`, `channels` with `presence` fixtures; unknown
 * fields such as `limits` are ignored) and answers 201 with `appId`, `accountId`, `keys` (`keyName`, `keySecret`, `keyStr`,
 * `capability`), `namespaces`, and `endpoint`/`port`/`tls` saying where clients connect. Like the
 * sandbox it needs no credentials: the emulator listens on loopback, only loopback pages (and
 * `allowedOrigins`) get past the access check, and a new app grants access to nothing but itself.
 * The body must be declared `application/json` or `application/x-msgpack` (as every SDK test
 * suite sends it): a browser sends those cross-site only after a CORS preflight, whereas a
 * `text/plain` or form POST goes out without one. At most `maxApps` created this way live at once.
 *
 * `DELETE /apps/<appId>` needs a key of that app (Basic auth, as ably-js's test helper sends):
 * the app's connections get an ERROR and close, its channels and history are gone. The default
 * app (the emulator's own key) cannot be deleted.
 */
export const appRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/apps$/,
    handler: async (ctx) => {
      const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'application/x-msgpack') {
        throw Errors.unsupportedContentType(
          `POST /apps takes an app spec as application/json or application/x-msgpack, not ${JSON.stringify(type.slice(0, 60))}: send content-type: application/json.`,
        );
      }
      const spec = (await ctx.body()) ?? {};
      // createApp validates every field it reads (40000/40003 naming the bad one).
      const app = ctx.env.createApp(spec);
      const { host, port } = ctx.env.address();
      ctx.send(201, { ...app.describe(), endpoint: host, port, tls: false });
    },
  },
  {
    method: 'DELETE',
    path: /^\/apps\/([^/]+)$/,
    handler: (ctx) => {
      const appId = ctx.param(0);
      const principal = ctx.principal();
      if (principal.kind !== 'key' || principal.app.id !== appId) {
        throw Errors.notPermitted(
          `Deleting app "${appId}" needs one of its own keys (Authorization: Basic base64(keyStr)).`,
        );
      }
      if (parseKeyString(ctx.env.options.key)?.appId === appId) {
        throw Errors.invalidParameter(
          `App "${appId}" is the emulator's default app and cannot be deleted; create apps to delete with POST /apps.`,
        );
      }
      ctx.env.deleteApp(appId);
      ctx.send(200, { appId, deleted: true });
    },
  },
];
