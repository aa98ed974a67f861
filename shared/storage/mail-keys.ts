/**
 * Keys of the mail ledger and the suppression list (docs/email.md):
 *
 *   pk = MAIL#<mailId>               sk = MAIL        one item per promised mail: SENDING (with a
 *                                                     lease), then SENT or why it was not sent
 *   pk = SUPPRESS#<address hash>     sk = SUPPRESS    an address that bounced or complained
 *
 * Addresses are keyed by a SHA-256 of the lower-cased address, so the list names no one in clear.
 */
import { createHash } from 'node:crypto';

export const mailLedgerKey = (mailId: string) => ({ pk: `MAIL#${mailId}`, sk: 'MAIL' });

export const addressHash = (address: string): string =>
  createHash('sha256').update(`restore-mail:${address.trim().toLowerCase()}`).digest('hex');

export const suppressionKey = (address: string) => ({
  pk: `SUPPRESS#${addressHash(address)}`,
  sk: 'SUPPRESS',
});
