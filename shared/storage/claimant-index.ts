/**
 * The claimant contact index: one small item per (normalised contact detail, claim), so the
 * claims sharing a payout account, e-mail, phone or address sit in one partition and a claim's
 * flags are one Query per detail, never a scan.
 *
 * Keys in claimant-keys.ts; each item carries the claim's pool and claimantIdentity().
 *
 * Values are normalised (E.164 phone, lower-case e-mail, USPS-style address) and the payout
 * account is a keyed token, so no account number is stored.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Claim } from '../domain/claim.ts';
import {
  type ContactKey,
  type ContactNeighbour,
  claimantIdentity,
  contactKeysOf,
} from '../domain/claim-flags.ts';
import type { ClaimContactIndex } from '../use-cases/claim-flags.ts';
import { claimantContactPk, claimantContactSk } from './claimant-keys.ts';
import { Table } from './table.ts';

/** More claims than this on one detail is already the finding; the reviewer needs no more ids. */
const NEIGHBOUR_LIMIT = 50;

export class ClaimantIndex implements ClaimContactIndex {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  /** Identical overwrites: filing again after a crash rewrites the same items. */
  async put(claim: Claim): Promise<void> {
    for (const key of contactKeysOf(claim)) {
      await this.#table.put({
        pk: claimantContactPk(key.kind, key.value),
        sk: claimantContactSk(claim.claimId),
        entity: 'claimant-contact',
        claimId: claim.claimId,
        ...(claim.poolId ? { poolId: claim.poolId } : {}),
        claimant: claimantIdentity(claim.claimant.name),
      });
    }
  }

  async neighbours(keys: readonly ContactKey[]): Promise<ContactNeighbour[]> {
    const out: ContactNeighbour[] = [];
    for (const key of keys) {
      const pk = claimantContactPk(key.kind, key.value);
      const { items } = await this.#table.queryPartitionPage(pk, undefined, { limit: NEIGHBOUR_LIMIT });
      for (const i of items) {
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
