// The root layout: server-rendered, no client code.
import '@consentkit/example-shared/example.css';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';

// No favicon request: the example has none to serve.
export const metadata: Metadata = { title: 'Apply for service (Next.js) · AllStream', icons: { icon: 'data:,' } };

export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
