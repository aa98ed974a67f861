/** A "Copy" button for a reference number, with a spoken and visible "Copied." */
import type { Messages } from '../i18n/types.ts';
import { h, on } from './dom.ts';

export function copyButton(t: Messages, text: string, label: string): HTMLElement {
  const status = h('span', { class: 'copy-status', role: 'status' });
  const button = on(
    h('button', { type: 'button', class: 'usa-button usa-button--outline copy-button' }, label),
    {
      click: async () => {
        status.textContent = '';
        let copied = false;
        try {
          await navigator.clipboard.writeText(text);
          copied = true;
        } catch {
          copied = false;
        }
        status.textContent = copied ? t.common.copied : t.common.copyFailed;
      },
    },
  );
  return h('div', { class: 'copy no-print' }, button, status);
}
