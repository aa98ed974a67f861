/**
 * What a person typed when their session ended: the fields of the form on screen, kept in
 * sessionStorage across the sign-in redirect and put back (then deleted) when the same screen
 * opens again. Never tokens; never kept past the tab.
 */
const KEY = 'restore-console-draft';

export function saveDraft(route: string, form: HTMLFormElement | null): void {
  if (!form) return;
  const fields: Record<string, string> = {};
  for (const el of Array.from(form.elements)) {
    const input = el as HTMLInputElement;
    if (!input.name || input.type === 'password') continue;
    if ((input.type === 'radio' || input.type === 'checkbox') && !input.checked) continue;
    fields[input.name] = input.value;
  }
  sessionStorage.setItem(KEY, JSON.stringify({ route, fields }));
}

/** Fills `form` from the draft saved for `route`, if any, and forgets the draft. */
export function restoreDraft(route: string, form: HTMLFormElement): boolean {
  const saved = sessionStorage.getItem(KEY);
  if (!saved) return false;
  const { route: savedRoute, fields } = JSON.parse(saved) as {
    route: string;
    fields: Record<string, string>;
  };
  if (savedRoute !== route) return false;
  sessionStorage.removeItem(KEY);
  for (const [name, value] of Object.entries(fields)) {
    for (const el of Array.from(form.elements)) {
      const input = el as HTMLInputElement;
      if (input.name !== name) continue;
      if (input.type === 'radio' || input.type === 'checkbox') input.checked = input.value === value;
      else input.value = value;
    }
  }
  form.dispatchEvent(new Event('change'));
  return true;
}
