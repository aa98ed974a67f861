import type { en } from './en.ts';

type Widen<T> = T extends string ? string : { readonly [K in keyof T]: Widen<T[K]> };

/** The shape of a catalogue: every language has exactly the keys of the English one. */
export type Messages = Widen<typeof en>;

export const languages = ['en', 'es'] as const;
export type Lang = (typeof languages)[number];

/** Fills `{name}` placeholders. Values are plain text; the result is only ever used as text. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
