/**
 * A claim's follow-up items, beside the claim in its partition (docs/data-model.md):
 *
 *   pk = CLAIM#<claimId>   sk = FOLLOWUP#DOC#<documentId>   one uploaded document and its state
 *   pk = CLAIM#<claimId>   sk = FOLLOWUP#ANSWER#<at>        one answer the claimant sent
 *
 * Apart from the claim item so that a scan result (which may arrive before or after the answer)
 * never races the claim's own version. A document's state moves once, conditionally, from
 * UPLOAD_REQUESTED: a scan result delivered twice changes nothing the second time.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FollowUpDocument } from '../domain/follow-up.ts';
import type { FollowUp, FollowUpStore } from '../use-cases/follow-up.ts';
import { claimPk } from './claim-keys.ts';
import { inPartition, Table } from './table.ts';

const DOC_SK = 'FOLLOWUP#DOC#';
const ANSWER_SK = 'FOLLOWUP#ANSWER#';

function toDocument(i: Record<string, unknown>): FollowUpDocument {
  return {
    documentId: String(i['documentId']),
    name: String(i['name']),
    declaredType: i['declaredType'] as FollowUpDocument['declaredType'],
    state: i['state'] as FollowUpDocument['state'],
    requestedAt: String(i['requestedAt']),
    ...(typeof i['decidedAt'] === 'string' ? { decidedAt: i['decidedAt'] } : {}),
    ...(typeof i['reason'] === 'string' ? { reason: i['reason'] } : {}),
    ...(typeof i['sizeBytes'] === 'number' ? { sizeBytes: i['sizeBytes'] } : {}),
  };
}

export class FollowUpRepository implements FollowUpStore {
  readonly #table: Table;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.#table = new Table(doc, tableName);
  }

  async get(claimId: string): Promise<FollowUp> {
    const items = await this.#table.queryAll(inPartition(claimPk(claimId), 'FOLLOWUP#'));
    const documents: FollowUpDocument[] = [];
    const answers: FollowUp['answers'] = [];
    for (const i of items) {
      const sk = String(i['sk']);
      if (sk.startsWith(DOC_SK)) documents.push(toDocument(i));
      else if (sk.startsWith(ANSWER_SK)) {
        answers.push({
          at: String(i['at']),
          text: String(i['text']),
          documentIds: Array.isArray(i['documentIds']) ? i['documentIds'].map(String) : [],
        });
      }
    }
    documents.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    return { documents, answers };
  }

  async addDocument(claimId: string, doc: FollowUpDocument): Promise<void> {
    await this.#table.put(
      {
        pk: claimPk(claimId),
        sk: `${DOC_SK}${doc.documentId}`,
        entity: 'claim-document',
        documentId: doc.documentId,
        name: doc.name,
        declaredType: doc.declaredType,
        state: doc.state,
        requestedAt: doc.requestedAt,
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  /** Moves a document out of UPLOAD_REQUESTED once; false if it had already moved. */
  decideDocument(
    claimId: string,
    documentId: string,
    decision: Parameters<FollowUpStore['decideDocument']>[2],
    at: string,
  ): Promise<boolean> {
    return this.#table.updateIf({
      Key: { pk: claimPk(claimId), sk: `${DOC_SK}${documentId}` },
      UpdateExpression: `SET #state = :state, decidedAt = :at${decision.reason ? ', reason = :reason' : ''}${decision.sizeBytes !== undefined ? ', sizeBytes = :size' : ''}`,
      ConditionExpression: '#state = :requested',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':state': decision.state,
        ':at': at,
        ':requested': 'UPLOAD_REQUESTED',
        ...(decision.reason ? { ':reason': decision.reason } : {}),
        ...(decision.sizeBytes !== undefined ? { ':size': decision.sizeBytes } : {}),
      },
    });
  }

  async addAnswer(claimId: string, answer: FollowUp['answers'][number]): Promise<void> {
    await this.#table.put(
      {
        pk: claimPk(claimId),
        sk: `${ANSWER_SK}${answer.at}`,
        entity: 'claim-answer',
        at: answer.at,
        text: answer.text,
        documentIds: answer.documentIds,
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }
}
