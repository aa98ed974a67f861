import { base58 } from '@scure/base';
import { cleanInput } from './text.ts';
import { assetWalletFamilies } from './wallet.ts';

export type TxHashResult = { ok: true; txHash: string; display: string } | { ok: false; reason: string };

const HEX_HASH = /^(0x)?([0-9a-f]{64})$/i;
const BASE58_SIGNATURE = /^[1-9A-HJ-NP-Za-km-z]{64,90}$/;
const NOT_A_HASH =
  'This does not look like a transaction ID. It is the long code your wallet or exchange shows as "Transaction ID", "TxID" or "hash".';

/** A pasted explorer link (`https://etherscan.io/tx/0x…`, `https://solscan.io/tx/…`) holds the hash. */
const fromExplorerLink = (text: string): string => {
  if (!text.includes('/')) return text;
  const parts = text.split(/[/#?=&]/).filter((part) => HEX_HASH.test(part) || BASE58_SIGNATURE.test(part));
  return parts.at(-1) ?? text;
};

/**
 * A transaction hash, lightly checked. 64-hex hashes (Bitcoin, Litecoin, EVM chains, TRON, XRP)
 * are stored as lower-case hex without `0x`, so the same hash matches whichever asset was named;
 * EVM hashes are displayed with `0x`. Solana signatures are base58 (64 bytes) and case-sensitive.
 */
export const normaliseTxHash = (asset: string | undefined, txHash: string): TxHashResult => {
  const cleaned = cleanInput(txHash, 512)?.replace(/\s+/g, '');
  if (cleaned === undefined) return { ok: false, reason: 'This is too long to be a transaction ID.' };
  if (cleaned === '')
    return { ok: false, reason: 'Enter the transaction ID, or leave it empty if you do not have it.' };
  const text = fromExplorerLink(cleaned);
  const families = assetWalletFamilies(asset);

  const hexMatch = HEX_HASH.exec(text);
  if (hexMatch?.[2]) {
    if (families?.length === 1 && families[0] === 'sol') {
      return {
        ok: false,
        reason: 'A Solana transaction ID is a long code of letters and numbers, not a 0x… code.',
      };
    }
    const value = hexMatch[2].toLowerCase();
    const evmStyle = hexMatch[1] !== undefined || (families?.includes('evm') ?? false);
    return { ok: true, txHash: value, display: evmStyle ? `0x${value}` : value };
  }
  if (BASE58_SIGNATURE.test(text) && (!families || families.includes('sol'))) {
    try {
      if (base58.decode(text).length === 64) return { ok: true, txHash: text, display: text };
    } catch {
      // not base58 after all: fall through
    }
  }
  return { ok: false, reason: NOT_A_HASH };
};
