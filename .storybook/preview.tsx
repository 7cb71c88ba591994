import '../packages/react/src/styles/presencekit.css';
import './preview.css';

import type { Preview } from '@storybook/react-vite';
import { StrictMode } from 'react';

const preview: Preview = {
  decorators: [
    // Every story renders under StrictMode, in the theme and direction chosen in the toolbar (or
    // fixed by the story's `globals`), so dark and right-to-left stories are ordinary stories.
    (Story, context) => {
      const theme = context.globals.theme === 'dark' ? 'dark' : 'light';
      const dir = context.globals.direction === 'rtl' ? 'rtl' : 'ltr';
      const lang = typeof context.globals.lang === 'string' ? context.globals.lang : 'en';
      return (
        <StrictMode>
          <div className="pk-story" data-theme={theme} dir={dir} lang={lang}>
            <Story />
          </div>
        </StrictMode>
      );
    },
  ],
  globalTypes: {
    theme: {
      description: 'Colour theme',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
    direction: {
      description: 'Text direction',
      toolbar: {
        title: 'Direction',
        icon: 'transfer',
        items: [
          { value: 'ltr', title: 'Left to right' },
          { value: 'rtl', title: 'Right to left' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', direction: 'ltr', lang: 'en' },
  parameters: {
    layout: 'fullscreen',
    // Accessibility violations fail the story's test, not just show in the panel.
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
};

export default preview;
