export type Theme = 'light' | 'dark';

/**
 * NextChat's effective theme: it puts `light` or `dark` on <body> when the user picked one and
 * follows the system colour scheme when set to auto.
 */
export function nextChatTheme(doc: Document, prefersDark: boolean): Theme {
  const classes = doc.body?.classList;
  if (classes?.contains('dark')) return 'dark';
  if (classes?.contains('light')) return 'light';
  return prefersDark ? 'dark' : 'light';
}
