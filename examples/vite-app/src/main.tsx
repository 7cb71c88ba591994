import '@presencekit/react/styles.css';
import './app.css';

import { ChatClientProvider } from '@ably/chat/react';
import {
  type AvatarUrlResolver,
  PresenceKitAvatarProvider,
  safeAvatarUrl,
} from '@presencekit/react';
import { PresenceKitDevtools } from '@presencekit/react/devtools';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { connect } from './connection';
import type { DemoConfig } from './rooms';

/**
 * Avatars on loopback are refused by default (a member could point every viewer's browser at a
 * local service). The local emulator's simulated visitors take theirs from its `/avatars/` route,
 * so this demo allows exactly that path, and keeps the default rule for everything else.
 */
function demoAvatars(config: DemoConfig): AvatarUrlResolver {
  const { endpoint, port } = config.endpoint;
  if (config.backend !== 'emulator' || typeof endpoint !== 'string') return safeAvatarUrl;
  const host = endpoint.includes(':') ? `[${endpoint}]` : endpoint;
  const avatars = `http://${host}:${String(port)}/avatars/`;
  return (url) => (url.startsWith(avatars) ? url : safeAvatarUrl(url));
}

const root = createRoot(document.getElementById('root')!);

// `?devtools` shows <PresenceKitDevtools> in a development build (`vite`); production builds
// (`npm start`) render nothing and carry none of its code.
const devtools = new URLSearchParams(window.location.search).has('devtools');

connect().then(
  ({ chat, config }) => {
    // The official @ably/chat/react providers: the chat panel's hooks need them, and every
    // PresenceKit component and hook works under them too.
    root.render(
      <StrictMode>
        <ChatClientProvider client={chat}>
          <PresenceKitAvatarProvider avatarUrl={demoAvatars(config)}>
            <App backend={config.backend} />
          </PresenceKitAvatarProvider>
          {devtools && <PresenceKitDevtools />}
        </ChatClientProvider>
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <p role="alert" className="demo-fatal">
        Could not reach the demo server ({String(error)}). Start it with <code>npm start</code>.
      </p>,
    );
  },
);
