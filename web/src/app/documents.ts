/**
 * Documents sent with an answer to a request for information (docs/follow-up.md): the claimant
 * picks up to 5 PDF, JPEG or PNG files of at most 10 MB. Each is checked here first (type, size,
 * count, so nothing doomed is sent), then the API signs an upload and the browser posts the file
 * straight to storage with its progress shown; the server then checks the content itself and the
 * file shows as received or refused. The list is announced politely as it changes.
 */
import { format, type Lang, type Messages } from '../i18n/types.ts';
import { apiRequest } from './api.ts';
import { h, on, setChildren } from './dom.ts';

export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
/** How long the page waits for the server's content check before saying it is still running. */
const CHECK_POLLS = 30;
const CHECK_INTERVAL_MS = 1_000;

type FileState = 'uploading' | 'checking' | 'received' | 'refused' | 'failed';

interface Picked {
  readonly name: string;
  state: FileState;
  percent: number;
  documentId?: string;
}

export interface PickerContext {
  readonly t: Messages;
  readonly lang: Lang;
  readonly claimId: string;
  readonly accessCode: string;
  /** Documents already sent with an earlier answer that still count towards the limit. */
  readonly alreadyCounted: number;
}

export interface DocumentPicker {
  readonly el: HTMLElement;
  /** Documents to name in the answer: uploaded and not refused. */
  documentIds(): string[];
  /** True while a file is still being sent. */
  busy(): boolean;
}

/** The declared type of a file: the browser's, else its name's; undefined when not allowed. */
export function fileType(file: { name: string; type: string }): string | undefined {
  if (Object.values(TYPES).includes(file.type)) return file.type;
  const extension = file.name.toLowerCase().split('.').pop() ?? '';
  return file.type === '' ? TYPES[extension] : undefined;
}

/** Why a file cannot be sent, before sending it; undefined when it may be. */
export function precheck(
  file: { name: string; type: string; size: number },
  slotsLeft: number,
  t: Messages,
): string | undefined {
  const d = t.documents;
  if (slotsLeft <= 0) return format(d.tooMany, { name: file.name, max: MAX_FILES });
  if (!fileType(file)) return format(d.wrongType, { name: file.name });
  if (file.size === 0) return format(d.empty, { name: file.name });
  if (file.size > MAX_FILE_BYTES) return format(d.tooBig, { name: file.name });
  return undefined;
}

/** The browser's form POST to the pre-signed address, with upload progress (fetch has none). */
function postToStorage(
  upload: { url: string; fields: Record<string, string> },
  file: File,
  progress: (percent: number) => void,
): Promise<boolean> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', file);
  return new Promise((done) => {
    const xhr = new XMLHttpRequest();
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress(Math.floor((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => done(xhr.status >= 200 && xhr.status < 300));
    xhr.addEventListener('error', () => done(false));
    xhr.addEventListener('abort', () => done(false));
    xhr.open('POST', upload.url);
    xhr.send(form);
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function documentPicker(ctx: PickerContext): DocumentPicker {
  const d = ctx.t.documents;
  const files: Picked[] = [];
  /** Removed from the answer after upload: the server still counts them towards the limit. */
  let removedLive = 0;
  const inputId = 'follow-up-files';
  const hintId = `${inputId}-hint`;
  const errorsId = `${inputId}-errors`;
  const errors = h('div', { id: errorsId, class: 'file-errors' });
  const list = h('ul', { class: 'usa-list usa-list--unstyled file-list' });
  const status = h('p', { class: 'usa-sr-only', role: 'status', 'aria-live': 'polite' });
  const input = h('input', {
    id: inputId,
    class: 'file-picker__input',
    type: 'file',
    name: 'documents',
    multiple: true,
    accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png',
    'aria-describedby': hintId,
  });

  const counted = () => files.filter((f) => f.state !== 'refused' && f.state !== 'failed').length;
  const stateText = (f: Picked): string =>
    ({
      uploading: format(d.uploading, { percent: f.percent }),
      checking: d.checking,
      received: d.received,
      refused: d.refused,
      failed: d.failed,
    })[f.state];

  const draw = () => {
    setChildren(
      list,
      files.map((f) =>
        h(
          'li',
          { class: `file-item file-item--${f.state}`, 'data-state': f.state },
          h('span', { class: 'file-item__name' }, f.name),
          h('span', { class: 'file-item__state' }, stateText(f)),
          f.state === 'uploading'
            ? h('progress', {
                class: 'file-item__progress',
                max: 100,
                value: f.percent,
                'aria-label': format(d.progressLabel, { name: f.name }),
              })
            : null,
          f.state === 'uploading' || f.state === 'checking'
            ? null
            : on(
                h(
                  'button',
                  { type: 'button', class: 'usa-button usa-button--unstyled file-item__remove' },
                  format(d.remove, { name: f.name }),
                ),
                {
                  click: () => {
                    files.splice(files.indexOf(f), 1);
                    if (f.state === 'received') removedLive += 1;
                    draw();
                    status.textContent = format(d.removed, { name: f.name });
                    input.focus();
                  },
                },
              ),
        ),
      ),
    );
  };

  const announce = (f: Picked) => {
    draw();
    status.textContent = `${f.name}: ${stateText(f)}`;
  };

  /** Waits for the server's verdict on the file's content (the scan runs after the upload). */
  const awaitCheck = async (f: Picked) => {
    for (let i = 0; i < CHECK_POLLS && files.includes(f); i++) {
      await wait(CHECK_INTERVAL_MS);
      const answer = await apiRequest<{ followUp?: { documents?: { documentId: string; state: string }[] } }>(
        'POST',
        '/v1/claims/status',
        { lang: ctx.lang, body: { claimId: ctx.claimId, accessCode: ctx.accessCode } },
      );
      if (answer.kind !== 'ok') continue;
      const doc = answer.data.followUp?.documents?.find((x) => x.documentId === f.documentId);
      if (doc?.state === 'CLEAN') f.state = 'received';
      else if (doc?.state === 'REJECTED' || doc?.state === 'INFECTED') f.state = 'refused';
      else continue;
      announce(f);
      return;
    }
  };

  const send = async (file: File, f: Picked) => {
    const signed = await apiRequest<{
      documentId: string;
      upload: { url: string; fields: Record<string, string> };
    }>('POST', '/v1/claims/follow-up/documents', {
      lang: ctx.lang,
      body: { claimId: ctx.claimId, accessCode: ctx.accessCode, name: file.name, type: fileType(file) },
    });
    if (signed.kind !== 'ok') {
      f.state = 'failed';
      announce(f);
      return;
    }
    f.documentId = signed.data.documentId;
    let shown = -1;
    const stored = await postToStorage(signed.data.upload, file, (percent) => {
      f.percent = percent;
      // Redraw in steps of 10 %, so a screen reader is not flooded.
      if (Math.floor(percent / 10) !== Math.floor(shown / 10)) {
        shown = percent;
        draw();
      }
    });
    f.state = stored ? 'checking' : 'failed';
    announce(f);
    if (stored) await awaitCheck(f);
  };

  on(input, {
    change: () => {
      const picked = Array.from(input.files ?? []);
      input.value = '';
      const problems: string[] = [];
      let left = MAX_FILES - ctx.alreadyCounted - removedLive - counted();
      for (const file of picked) {
        const problem = precheck(file, left, ctx.t);
        if (problem) {
          problems.push(problem);
          continue;
        }
        left -= 1;
        const f: Picked = { name: file.name, state: 'uploading', percent: 0 };
        files.push(f);
        void send(file, f);
      }
      draw();
      setChildren(
        errors,
        problems.length === 0
          ? null
          : h(
              'div',
              { class: 'usa-alert usa-alert--error usa-alert--slim', role: 'alert' },
              h(
                'div',
                { class: 'usa-alert__body' },
                h('ul', { class: 'usa-list' }, ...problems.map((p) => h('li', null, p))),
              ),
            ),
      );
      input.setAttribute('aria-describedby', problems.length === 0 ? hintId : `${errorsId} ${hintId}`);
      if (problems.length === 0 && picked.length > 0)
        status.textContent = format(d.added, { n: picked.length });
    },
  });

  const el = h(
    'div',
    { class: 'usa-form-group file-picker' },
    h('label', { class: 'usa-label', for: inputId }, d.label),
    h('div', { class: 'usa-hint', id: hintId }, format(d.hint, { max: MAX_FILES })),
    errors,
    input,
    list,
    status,
  );
  return {
    el,
    documentIds: () =>
      files.flatMap((f) =>
        f.documentId && (f.state === 'received' || f.state === 'checking') ? [f.documentId] : [],
      ),
    busy: () => files.some((f) => f.state === 'uploading'),
  };
}
