/**
 * Keys of the mail ledger and the suppression list (docs/email.md):
 *
 *   pk = MAIL#<mail token>           sk = MAIL        one item per promised mail: SENDING (with a
 *                                                     lease), then SENT or why it was not sent
 *   pk = SUPPRESS#<address hash>     sk = SUPPRESS    an address that bounced or complained
 *
 * Addresses are keyed by a SHA-256 of the lower-cased address, so the list names no one in clear.
 */
import { sha256Hex } from '../domain/hashes.ts';
import { mailToken } from '../domain/mail.ts';

/** By the mail's token (domain/mail.ts): SES events name the mail by it. */
export const mailLedgerKey = (mailId: string) => ledgerKeyOfToken(mailToken(mailId));
export const ledgerKeyOfToken = (token: string) => ({ pk: `MAIL#${token}`, sk: 'MAIL' });

export const addressHash = (address: string): string =>
  sha256Hex(`restore-mail:${address.trim().toLowerCase()}`);

export const suppressionKey = (address: string) => ({
  pk: `SUPPRESS#${addressHash(address)}`,
  sk: 'SUPPRESS',
});
