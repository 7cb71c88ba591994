import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { INSPECTOR_PATH } from '../wire.js';
import { App } from './App.js';
import { createInspectorStore } from './store.js';
import { InspectorContext } from './useInspector.js';

const store = createInspectorStore(INSPECTOR_PATH, window.location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <InspectorContext value={store}>
      <App />
    </InspectorContext>
  </StrictMode>,
);
