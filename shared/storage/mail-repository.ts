/**
 * The mail ledger and the suppression list in the main table (keys in mail-keys.ts). Every
 * change is one conditional single-item write, so it behaves the same on dynalite and DynamoDB.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailLedger, MailOutcome, SuppressionReason } from '../use-cases/send-mail.ts';
import { ledgerKeyOfToken, mailLedgerKey, suppressionKey } from './mail-keys.ts';
import { Table } from './table.ts';

const ENTITY_MAIL = 'MAIL';
const ENTITY_SUPPRESSION = 'SUPPRESSION';
/** A ledger entry outlives every redelivery (SQS keeps a message 14 days at most), then goes. */
const LEDGER_DAYS = 30;

export class MailRepository implements MailLedger {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async begin(
    mailId: string,
    attempt: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<'go' | 'done' | 'busy'> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const taken = await this.#table.updateIf({
      Key: mailLedgerKey(mailId),
      UpdateExpression:
        'SET entity = :e, #state = :sending, attempt = :a, leaseUntil = :lease, expiresAt = :exp, startedAt = if_not_exists(startedAt, :now)',
      // New, or a SENDING whose attempt died (its lease ran out). SENT and the rest are final.
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :nowS)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':e': ENTITY_MAIL,
        ':sending': 'SENDING',
        ':a': attempt,
        ':lease': nowSeconds + leaseSeconds,
        ':exp': nowSeconds + LEDGER_DAYS * 86_400,
        ':now': now.toISOString(),
        ':nowS': nowSeconds,
      },
    });
    if (taken) return 'go';
    const item = await this.#table.get(mailLedgerKey(mailId), { consistent: true });
    return item?.['state'] === 'SENDING' ? 'busy' : 'done';
  }

  async finish(
    mailId: string,
    attempt: string,
    outcome: MailOutcome,
    now: Date,
    providerMessageId?: string,
  ): Promise<void> {
    await this.#table.update({
      Key: mailLedgerKey(mailId),
      UpdateExpression: `SET #state = :s, finishedAt = :now${providerMessageId ? ', providerMessageId = :p' : ''} REMOVE leaseUntil`,
      ConditionExpression: 'attempt = :a',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':s': outcome,
        ':now': now.toISOString(),
        ':a': attempt,
        ...(providerMessageId ? { ':p': providerMessageId } : {}),
      },
    });
  }

  async release(mailId: string, attempt: string): Promise<void> {
    await this.#table.updateIf({
      Key: mailLedgerKey(mailId),
      UpdateExpression: 'SET leaseUntil = :zero',
      ConditionExpression: 'attempt = :a AND #state = :sending',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':zero': 0, ':a': attempt, ':sending': 'SENDING' },
    });
  }

  async confirmSent(token: string, at: string): Promise<boolean> {
    return this.#table.updateIf({
      Key: ledgerKeyOfToken(token),
      UpdateExpression: 'SET #state = :sent, finishedAt = :at REMOVE leaseUntil',
      ConditionExpression: '#state = :sending',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sent': 'SENT', ':sending': 'SENDING', ':at': at },
    });
  }

  async isSuppressed(address: string): Promise<boolean> {
    return (await this.#table.get(suppressionKey(address), { consistent: true })) !== undefined;
  }

  async suppress(address: string, reason: SuppressionReason, at: string): Promise<void> {
    await this.#table.putIfAbsent({ ...suppressionKey(address), entity: ENTITY_SUPPRESSION, reason, at });
  }
}
