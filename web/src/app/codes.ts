/**
 * Codes a person copies by hand (reference number, claim number, access code): shown in groups
 * of four that never break inside a group, and read out by screen readers one character at a
 * time with a pause between groups ("C L M, 7 K 3 M, …") rather than as one long word.
 */
import { h } from './dom.ts';

/** The groups of a code as printed: `CLM-7K3M-9QXD` -> `['CLM', '7K3M', '9QXD']`. */
export function codeGroups(code: string): string[] {
  return code.split(/[\s-]+/).filter(Boolean);
}

/** What a screen reader should say: characters spaced, groups separated by commas. */
export function spokenCode(code: string): string {
  return codeGroups(code)
    .map((group) => [...group].join(' '))
    .join(', ');
}

/**
 * The code, visible in unbreakable groups (a line may break only between groups), with its
 * spoken form for screen readers. The visible copy (which carries `id`) is hidden from them so
 * it is not read twice.
 */
export function codeText(code: string, id?: string): HTMLElement {
  const groups = codeGroups(code);
  const visible = h(
    'span',
    { class: 'code', 'aria-hidden': 'true', id },
    groups.flatMap((group, i) => [
      h('span', { class: 'code__group' }, i < groups.length - 1 ? `${group}-` : group),
      i < groups.length - 1 ? h('wbr') : null,
    ]),
  );
  return h('span', null, visible, h('span', { class: 'usa-sr-only' }, spokenCode(code)));
}
