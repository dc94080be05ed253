// Reading a submitted form's fields. Bodies come from outside, so every value is checked for its type here once,
// rather than in each route.

/** A text field, trimmed; '' when it is missing or not text. */
export function formText(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** A field that may repeat, as ticked checkboxes do: every text value sent under the name. */
export function formList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}
