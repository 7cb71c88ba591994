import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Nothing here fetches from the network at build time (no next/font, no remote images), so
  // `next build` works offline.
};

export default nextConfig;
