/**
 * The sample bundle in docs/sharing-sample-bundle.json: one indicator of each shared kind, built
 * by the real normalisers and STIX builder from fictional identifiers under a fictional key, so
 * partners can see exactly what Restore sends. `npm run sample:bundle` rewrites it; a unit test
 * fails when the file and the code disagree.
 */
import { normaliseIndicator } from '#shared/domain/indicators/indicator.ts';
import { indicatorId, type SharingContext } from '#shared/domain/sharing/stix.ts';
import type { ShareableType } from '#shared/domain/sharing/summary.ts';
import { bundleChunks } from '#shared/use-cases/export-bundle.ts';
import type { SharedIndicatorVersion } from '#shared/use-cases/taxii.ts';

export const SAMPLE_PATH = 'docs/sharing-sample-bundle.json';
/** A key nobody uses: 32 bytes of 7. */
const SAMPLE_KEY = new Uint8Array(32).fill(7);
const CTX: SharingContext = { agencyName: 'Example State Attorney General', tlp: 'amber' };

const SAMPLES: readonly {
  type: ShareableType;
  raw: string;
  reports: number;
  first: string;
  last: string;
  loss: Record<string, number>;
  categories: string[];
}[] = [
  {
    type: 'phone',
    raw: '(202) 555-0143',
    reports: 7,
    first: '2026-03-02T15:04:11.000Z',
    last: '2026-05-28T09:12:45.000Z',
    loss: { USD: 4_512_000 },
    categories: ['imposter-government'],
  },
  {
    type: 'email',
    raw: 'refunds@example.net',
    reports: 2,
    first: '2026-04-11T10:00:00.000Z',
    last: '2026-04-19T18:30:00.000Z',
    loss: { USD: 180_000 },
    categories: ['imposter-business', 'phishing'],
  },
  {
    type: 'domain',
    raw: 'https://secure-login.example.com/pay',
    reports: 3,
    first: '2026-02-01T08:00:00.000Z',
    last: '2026-05-01T08:00:00.000Z',
    loss: { USD: 950_000, EUR: 20_000 },
    categories: ['investment'],
  },
  {
    type: 'crypto-wallet',
    raw: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    reports: 12,
    first: '2026-01-15T12:00:00.000Z',
    last: '2026-05-30T22:10:00.000Z',
    loss: { USD: 31_250_000 },
    categories: ['imposter-romance', 'investment'],
  },
  {
    type: 'bank-account',
    raw: '011000015:123456789',
    reports: 1,
    first: '2026-05-05T14:20:00.000Z',
    last: '2026-05-05T14:20:00.000Z',
    loss: { USD: 2_500_000 },
    categories: ['imposter-family-friend'],
  },
  {
    type: 'payment-app',
    raw: 'cash-app:$RefundDeskExample',
    reports: 4,
    first: '2026-04-02T09:00:00.000Z',
    last: '2026-05-20T16:45:00.000Z',
    loss: { USD: 320_000 },
    categories: ['online-shopping'],
  },
  {
    type: 'social-handle',
    raw: 'https://www.instagram.com/example.agent',
    reports: 2,
    first: '2026-03-20T11:00:00.000Z',
    last: '2026-04-01T11:00:00.000Z',
    loss: {},
    categories: ['imposter-romance'],
  },
];

export async function sampleBundle(): Promise<string> {
  const items: SharedIndicatorVersion[] = SAMPLES.map((s, i) => {
    const result = normaliseIndicator(s.type, s.raw, SAMPLE_KEY);
    if (!result.ok) throw new Error(`${s.raw}: ${result.reason}`);
    const value = result.indicator.value;
    const modified = new Date(Date.parse('2026-06-01T00:00:00.000Z') + i * 1000).toISOString();
    return {
      id: indicatorId(s.type, value),
      type: s.type,
      value,
      firstSeen: s.first,
      lastSeen: s.last,
      reportCount: s.reports,
      lossByCurrency: s.loss,
      categories: s.categories,
      created: s.first,
      modified,
      dateAdded: modified,
    };
  });
  const source = {
    count: async () => items.length,
    page: async () => ({ items, more: false }),
  };
  let text = '';
  const range = { from: '2026-01-01T00:00:00.000Z', to: '2026-06-30T23:59:59.999Z' };
  for await (const chunk of bundleChunks(range, source, CTX, { at: '2026-06-01T00:00:00.000Z' }))
    text += chunk;
  return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
}
