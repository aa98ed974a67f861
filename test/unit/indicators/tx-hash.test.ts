import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseTxHash } from '#shared/domain/indicators/index.ts';
import { expectPlainSentence } from './support.ts';

// Bitcoin block 170: the first BTC transfer between people.
const BTC_TX = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
const SOL_SIGNATURE =
  '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

describe('normaliseTxHash', () => {
  it('stores 64-hex hashes lower-case without 0x, whatever the asset, and shows 0x for EVM', () => {
    const upper = `0x${BTC_TX.toUpperCase()}`;
    expect(normaliseTxHash('ETH', upper)).toEqual({ ok: true, txHash: BTC_TX, display: `0x${BTC_TX}` });
    expect(normaliseTxHash('ETH', BTC_TX)).toEqual({ ok: true, txHash: BTC_TX, display: `0x${BTC_TX}` });
    expect(normaliseTxHash('BTC', BTC_TX)).toEqual({ ok: true, txHash: BTC_TX, display: BTC_TX });
    expect(normaliseTxHash('USDT-TRC20', BTC_TX.toUpperCase())).toEqual({
      ok: true,
      txHash: BTC_TX,
      display: BTC_TX,
    });
    expect(normaliseTxHash(undefined, ` ${BTC_TX} `)).toMatchObject({ ok: true, txHash: BTC_TX });
  });

  it('takes the hash out of a pasted explorer link', () => {
    expect(normaliseTxHash('ETH', `https://etherscan.io/tx/0x${BTC_TX}`)).toMatchObject({ txHash: BTC_TX });
    expect(normaliseTxHash('BTC', `https://mempool.space/tx/${BTC_TX}#vout=0`)).toMatchObject({
      txHash: BTC_TX,
    });
    expect(normaliseTxHash('SOL', `https://solscan.io/tx/${SOL_SIGNATURE}?cluster=mainnet`)).toMatchObject({
      txHash: SOL_SIGNATURE,
    });
  });

  it('keeps Solana signatures as they are (base58 is case-sensitive)', () => {
    expect(normaliseTxHash('SOL', SOL_SIGNATURE)).toEqual({
      ok: true,
      txHash: SOL_SIGNATURE,
      display: SOL_SIGNATURE,
    });
    expect(normaliseTxHash(undefined, SOL_SIGNATURE)).toMatchObject({ ok: true, txHash: SOL_SIGNATURE });
  });

  it.each([
    ['too short', 'ETH', 'abc123'],
    ['65 hex digits', 'BTC', `${BTC_TX}0`],
    ['hex for Solana', 'SOL', BTC_TX],
    ['a Solana signature for Bitcoin', 'BTC', SOL_SIGNATURE],
    ['base58 of the wrong length', 'SOL', SOL_SIGNATURE.slice(0, 70)],
    ['empty', 'BTC', ''],
  ])('rejects %s', (_label, asset, raw) => {
    const result = normaliseTxHash(asset, raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expectPlainSentence(result.reason);
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(0x)?[0-9a-fA-F]{64}$/), (raw) => {
        const first = normaliseTxHash('ETH', raw);
        if (!first.ok) expect.fail(first.reason);
        expect(normaliseTxHash('ETH', first.txHash)).toMatchObject({ ok: true, txHash: first.txHash });
        expect(normaliseTxHash(undefined, first.display)).toMatchObject({ ok: true, txHash: first.txHash });
      }),
    );
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.string({ unit: 'binary', maxLength: 120 }),
        (a, raw) => {
          const result = normaliseTxHash(a, raw);
          if (!result.ok) expectPlainSentence(result.reason);
        },
      ),
    );
  });
});
