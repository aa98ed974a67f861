/**
 * Programmes in Spanish: the Spanish pages show a programme's Spanish name, description and
 * eligibility when the agency gave them, and the English text (marked lang="en") when not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, type Portal, startPortal, visibleText } from './support.ts';

let portal: Portal;

beforeAll(async () => {
  portal = await startPortal();
});

afterAll(async () => {
  await portal?.close();
});

async function createPool(body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${portal.baseUrl}/v1/admin/pools`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await portal.stack.token('admin')}`,
    },
    body: JSON.stringify({
      caseNumber: '1:26-cv-07777',
      court: 'U.S. District Court for the District of Arizona',
      amountCents: 2_000_000,
      claimDeadline: '2027-09-30',
      ...body,
    }),
  });
  expect(response.status).toBe(201);
  return String(((await response.json()) as { poolId: string }).poolId);
}

describe('programmes on the Spanish site', () => {
  it('shows Spanish text where given and marks the English fallback', async () => {
    await createPool({
      name: 'Operation Desert Wire',
      description: 'Money seized from a fake lottery.',
      eligibility: 'People who wired money to claim a prize.',
      es: {
        name: 'Operación Alambre del Desierto',
        description: 'Dinero incautado a una lotería falsa.',
      },
    });
    const { page, problems } = await portal.open('/es/programs/');
    const card = page.locator('.program-card', { hasText: 'Operación Alambre del Desierto' });
    await card.waitFor();
    expect(await visibleText(card)).toContain('Dinero incautado a una lotería falsa.');
    // No Spanish eligibility: the English one, in English for screen readers.
    const fallback = card.locator('[lang="en"]');
    expect(await fallback.count()).toBe(1);
    expect(await visibleText(fallback)).toBe('People who wired money to claim a prize.');
    await expectAccessible(page, 'Spanish programme list');

    const english = await portal.open('/programs/');
    await english.page.locator('.program-card', { hasText: 'Operation Desert Wire' }).waitFor();
    expect(await english.page.getByText('Operación Alambre del Desierto').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(english.problems).toEqual([]);
  });
});
