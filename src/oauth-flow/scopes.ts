/** Splits a space-separated OAuth scope string into distinct scope values. */
export function parseScopes(scope: string | undefined | null): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/** The union of scope lists, in first-seen order, as one space-separated string. */
export function unionScopes(...scopes: Array<string | readonly string[] | undefined>): string {
  const all = scopes.flatMap((entry) => (typeof entry === 'string' ? parseScopes(entry) : [...(entry ?? [])]));
  return [...new Set(all)].join(' ');
}
