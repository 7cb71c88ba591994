import '@presencekit/react/styles.css';
import './app.css';

import { ChatClientProvider } from '@presencekit/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { connect } from './connection';

const root = createRoot(document.getElementById('root')!);

connect().then(
  ({ chat, config }) => {
    root.render(
      <StrictMode>
        <ChatClientProvider client={chat}>
          <App backend={config.backend} />
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
