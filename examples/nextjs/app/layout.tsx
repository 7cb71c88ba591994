import '@presencekit/react/styles.css';
import './globals.css';

import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { browserEndpoint } from '../lib/ably-server';
import { ChatProvider } from './ChatProvider';

export const metadata: Metadata = {
  title: 'PresenceKit on Next.js',
  description: 'Viewer count and members rendered on the server, then live.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/">PresenceKit on Next.js</Link>
        </header>
        <ChatProvider endpoint={browserEndpoint()}>{children}</ChatProvider>
      </body>
    </html>
  );
}
