// The hosted preference page's per-purpose forms, read from its HTML as a browser would submit them.

export type PageForm = { action: string; fields: URLSearchParams };

/** Every per-purpose form on the page, keyed by purpose id, exactly as a browser would submit it. */
export function formsOf(page: string): Map<string, PageForm> {
  const forms = new Map<string, PageForm>();
  for (const match of page.matchAll(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/g)) {
    const fields = new URLSearchParams(
      [...(match[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    forms.set(fields.get('purpose') ?? '', { action: match[1] ?? '', fields });
  }
  return forms;
}
