/**
 * The sharing export screen (admins): choose a date range, start an export job, watch its
 * progress (the screen asks the API every two seconds while it runs), download the file when it
 * is ready. The export's id is in the address (`#/sharing?export=EXP-...`), so a reload, or a
 * link sent to a colleague, comes back to the same export.
 */
import { api } from './api.ts';
import type { Route } from './screens.ts';
import { needsAdmin } from './screens.ts';
import { alertBox, button, facts, field, h, link, on, problemBox, show, time, withQuery } from './ui.ts';

interface ExportView {
  exportId: string;
  state: 'QUEUED' | 'RUNNING' | 'READY' | 'FAILED';
  from: string;
  to: string;
  createdAt: string;
  updatedAt: string;
  progress: { written: number; total: number; percent: number };
  file?: { url: string; expiresAt: string; fileName: string; size: number; sha256: string };
  error?: string;
}

const TITLE = 'Export shared indicators';
const POLL_MS = 2_000;
let poll: ReturnType<typeof setTimeout> | undefined;

const count = (n: number) => n.toLocaleString('en-US');
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const STATE_TEXT: Readonly<Record<ExportView['state'], string>> = {
  QUEUED: 'Waiting to start',
  RUNNING: 'Writing the file',
  READY: 'Ready to download',
  FAILED: 'Stopped',
};

export async function sharingScreen(root: HTMLElement, route: Route): Promise<void> {
  if (poll) clearTimeout(poll);
  poll = undefined;
  if (needsAdmin(root, TITLE)) return;
  const exportId = route.query.get('export');
  if (exportId) await exportProgress(root, exportId, route.hash);
  else startForm(root);
}

function startForm(root: HTMLElement): void {
  const problems = h('div', { id: 'export-problems' });
  const form = h(
    'form',
    { class: 'usa-form', id: 'export-form', 'aria-describedby': 'export-intro' },
    field({
      name: 'from',
      label: 'From',
      type: 'date',
      hint: 'The first day: indicators added or changed on or after it',
      required: true,
    }),
    field({
      name: 'to',
      label: 'To',
      type: 'date',
      hint: 'The last day, included. Today or earlier.',
      required: true,
    }),
    button('Start the export', undefined, 'primary', 'submit'),
  );
  on(form, {
    submit: async (e) => {
      e.preventDefault();
      const d = new FormData(form);
      const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;
      submit.disabled = true;
      const result = await api<ExportView>('POST', '/v1/admin/sharing/exports', {
        from: String(d.get('from') ?? ''),
        to: String(d.get('to') ?? ''),
      });
      submit.disabled = false;
      if (result.ok) {
        location.hash = withQuery('#/sharing', { export: result.data.exportId });
        return;
      }
      if (result.status === 401) return;
      const box = problemBox(result);
      problems.replaceChildren(box);
      box.setAttribute('tabindex', '-1');
      box.focus();
    },
  });
  show(
    root,
    TITLE,
    h(
      'p',
      { id: 'export-intro' },
      'One STIX 2.1 file of the scammer identifiers shared with law enforcement that were added or changed in a date range: the same indicators partner agencies read over TAXII. Large ranges take a few minutes; this page shows the progress and the file when it is ready.',
    ),
    problems,
    form,
  );
}

async function exportProgress(root: HTMLElement, exportId: string, hash: string): Promise<void> {
  const result = await api<ExportView>('GET', `/v1/admin/sharing/exports/${encodeURIComponent(exportId)}`);
  if (!result.ok) {
    if (result.status === 401) return;
    show(root, TITLE, problemBox(result), h('p', null, link('#/sharing', 'Start a new export')));
    return;
  }
  const view = result.data;
  // Parts that change while the job runs: updated in place, so the layout does not jump.
  const stateText = h('span', null, STATE_TEXT[view.state]);
  const bar = h('progress', { id: 'export-bar', max: 100, value: view.progress.percent });
  const written = h('p', { id: 'export-written', class: 'console-export__count' });
  const status = h('div', { 'aria-live': 'polite', id: 'export-status' });
  const outcome = h('div', { id: 'export-outcome' });
  const draw = (v: ExportView) => {
    stateText.textContent = STATE_TEXT[v.state];
    bar.value = v.progress.percent;
    written.textContent = `${count(v.progress.written)} of ${count(v.progress.total)} indicators written (${v.progress.percent}%)`;
    status.textContent = v.state === 'READY' || v.state === 'FAILED' ? STATE_TEXT[v.state] : '';
    outcome.replaceChildren(...outcomeOf(v));
  };
  show(
    root,
    TITLE,
    facts([
      ['Export', view.exportId],
      ['Range', `${time(view.from)} to ${time(view.to)} (UTC)`],
      ['Started', `${time(view.createdAt)} (UTC)`],
      ['State', stateText],
    ]),
    h(
      'div',
      { class: 'console-export__progress' },
      h('label', { for: 'export-bar', class: 'usa-label' }, 'Progress'),
      bar,
      written,
    ),
    status,
    outcome,
  );
  draw(view);
  const tick = async () => {
    poll = undefined;
    // Left this export (another screen, or another export): stop asking.
    if (location.hash !== hash || !bar.isConnected) return;
    const next = await api<ExportView>('GET', `/v1/admin/sharing/exports/${encodeURIComponent(exportId)}`);
    if (location.hash !== hash || !bar.isConnected) return;
    if (next.ok) draw(next.data);
    if (!next.ok && next.status === 401) return;
    if (!next.ok || next.data.state === 'QUEUED' || next.data.state === 'RUNNING')
      poll = setTimeout(tick, POLL_MS);
  };
  if (view.state === 'QUEUED' || view.state === 'RUNNING') poll = setTimeout(tick, POLL_MS);
}

function outcomeOf(v: ExportView): HTMLElement[] {
  if (v.state === 'FAILED') {
    return [
      alertBox('error', 'The export stopped', v.error ?? 'Start the export again.'),
      h('p', null, link('#/sharing', 'Start a new export')),
    ];
  }
  if (v.state !== 'READY' || !v.file) return [];
  const file = v.file;
  return [
    alertBox(
      'success',
      'The file is ready',
      `${file.fileName}, ${size(file.size)}. The download link works for 5 minutes; the button asks for a fresh one each time.`,
    ),
    facts([
      ['File', file.fileName],
      ['Size', `${size(file.size)} (${count(file.size)} bytes)`],
      ['SHA-256', h('code', { id: 'export-sha256' }, file.sha256)],
    ]),
    h(
      'p',
      null,
      button('Download the file', async () => {
        // A fresh link: the one drawn with the page may have expired.
        const fresh = await api<ExportView>(
          'GET',
          `/v1/admin/sharing/exports/${encodeURIComponent(v.exportId)}`,
        );
        if (fresh.ok && fresh.data.file) location.assign(fresh.data.file.url);
      }),
      ' ',
      link('#/sharing', 'Start another export'),
    ),
  ];
}
