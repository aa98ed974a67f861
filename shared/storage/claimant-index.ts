/**
 * The claimant contact index: one small item per (normalised contact detail, claim), so the
 * claims sharing a payout account, e-mail, phone or address sit in one partition and a claim's
 * flags are one Query per detail, never a scan.
 *
 *   pk = CLAIMANT#<kind>#<normalised value>     sk = CLAIM#<claimId>     (poolId, claimant)
 *
 * Values are normalised (E.164 phone, lower-case e-mail, USPS-style address) and the payout
 * account is a keyed token, so no account number is stored.
 */
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim } from '../domain/claim.ts';
import {
  type ContactKey,
  type ContactKind,
  type ContactNeighbour,
  claimantIdentity,
  contactKeysOf,
} from '../domain/claim-flags.ts';
import type { ClaimContactIndex } from '../use-cases/claim-flags.ts';

const contactPk = (kind: ContactKind, value: string) => `CLAIMANT#${kind}#${value}`;
/** More claims than this on one detail is already the finding; the reviewer needs no more ids. */
const NEIGHBOUR_LIMIT = 50;

export class ClaimantIndex implements ClaimContactIndex {
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#doc = doc;
    this.#table = tableName;
  }

  /** Identical overwrites: filing again after a crash rewrites the same items. */
  async put(claim: Claim): Promise<void> {
    for (const key of contactKeysOf(claim)) {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: contactPk(key.kind, key.value),
            sk: `CLAIM#${claim.claimId}`,
            entity: 'claimant-contact',
            claimId: claim.claimId,
            ...(claim.poolId ? { poolId: claim.poolId } : {}),
            claimant: claimantIdentity(claim.claimant.name),
          },
        }),
      );
    }
  }

  async neighbours(keys: readonly ContactKey[]): Promise<ContactNeighbour[]> {
    const out: ContactNeighbour[] = [];
    for (const key of keys) {
      const res = await this.#doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': contactPk(key.kind, key.value) },
          Limit: NEIGHBOUR_LIMIT,
        }),
      );
      for (const i of res.Items ?? []) {
        out.push({
          kind: key.kind,
          claimId: String(i['claimId']),
          ...(typeof i['poolId'] === 'string' ? { poolId: i['poolId'] } : {}),
          claimant: String(i['claimant']),
        });
      }
    }
    return out;
  }
}
