/**
 * E-mail on a laptop (docs/email.md): the mailer's transport writes each mail as an RFC 5322
 * `.eml` file under `<dataDir>/outbox/` instead of calling SES, and `/_local/outbox/` lists them
 * for a developer to open. Local runtime only: the CDK app never deploys this module.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { composeMime } from '#functions/mailer/compose.ts';
import { escapeHtml, mailToken } from '#shared/domain/mail.ts';
import type { MailTransport, OutgoingMail } from '#shared/use-cases/send-mail.ts';
import { createOnce } from './files.ts';

export const OUTBOX_MOUNT_PATH = '/_local/outbox';
export const LOCAL_MAIL_FROM = { name: 'Restore (local)', address: 'no-reply@restore.localhost' };

/**
 * One file per mail id (`<token>.eml`), created whole or not at all: a mail sent twice (a
 * redelivered message after a crash) still leaves one file, as SES would still deliver one mail.
 */
export class FileMailTransport implements MailTransport {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async send(mail: OutgoingMail): Promise<string> {
    const token = mailToken(mail.mailId);
    await createOnce(join(this.#dir, `${token}.eml`), await composeMime(mail, LOCAL_MAIL_FROM));
    return token;
  }
}

/** `/_local/outbox/`: the mails, newest first, each a link to its `.eml`; `/<token>.eml` serves one. */
export function outboxHandler(dir: string) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://local').pathname.slice(OUTBOX_MOUNT_PATH.length);
    const file = /^\/([0-9a-f]{32})\.eml$/.exec(path)?.[1];
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (file) {
      try {
        const body = await readFile(join(dir, `${file}.eml`));
        response.writeHead(200, { ...headers, 'content-type': 'message/rfc822' }).end(body);
      } catch {
        response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('No such mail.\n');
      }
      return;
    }
    if (path !== '' && path !== '/') {
      response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('Not found.\n');
      return;
    }
    const mails = await listOutbox(dir);
    const rows = mails.map(
      (m) =>
        `<li><a href="${OUTBOX_MOUNT_PATH}/${m.file}">${escapeHtml(m.subject)}</a> <small>${escapeHtml(m.to)} · ${m.at}</small></li>`,
    );
    response
      .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
      .end(
        [
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local outbox</title></head>',
          '<body><main><h1>Local outbox</h1>',
          `<p>E-mail the local runtime would have sent through SES: ${mails.length} message(s), newest first.</p>`,
          rows.length > 0 ? `<ol>${rows.join('')}</ol>` : '<p>No mail yet.</p>',
          '</main></body></html>',
        ].join('\n'),
      );
  };
}

export interface OutboxEntry {
  file: string;
  subject: string;
  to: string;
  at: string;
}

/** The outbox's mails with their (decoded) subject and recipient, newest first. */
export async function listOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^[0-9a-f]{32}\.eml$/.test(n));
  } catch {
    return [];
  }
  const entries = await Promise.all(
    names.map(async (file) => {
      const path = join(dir, file);
      const [raw, info] = await Promise.all([readFile(path), stat(path)]);
      const parsed = await simpleParser(raw);
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
      return { file, subject: parsed.subject ?? '', to, at: info.mtime.toISOString() };
    }),
  );
  return entries.sort((a, b) => b.at.localeCompare(a.at) || a.file.localeCompare(b.file));
}
