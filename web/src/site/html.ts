/**
 * A tiny HTML template for the pages rendered at build time. Every interpolated value is escaped
 * unless it is itself the result of `html`, so catalogue text can never become markup.
 */
const MARK: unique symbol = Symbol('html');

export interface SafeHtml {
  readonly [MARK]: true;
  readonly value: string;
}

type Part = SafeHtml | string | number | false | null | undefined | readonly Part[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function isSafe(part: unknown): part is SafeHtml {
  return typeof part === 'object' && part !== null && MARK in part;
}

function render(part: Part): string {
  if (part === false || part === null || part === undefined) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (isSafe(part)) return part.value;
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): SafeHtml {
  let value = strings[0] ?? '';
  parts.forEach((part, i) => {
    value += render(part) + (strings[i + 1] ?? '');
  });
  return { [MARK]: true, value };
}
