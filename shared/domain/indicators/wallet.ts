import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58, base58xrp, bech32, bech32m, createBase58check, hex } from '@scure/base';
import { sha256 } from '../hashes.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

/**
 * Address families: chains that share one address format share a family, so the same key paid on
 * Ethereum, BNB Chain or Polygon (or a P2SH `3…` script on Bitcoin and Litecoin) links up.
 */
export const walletFamilies = ['btc', 'evm', 'tron', 'sol', 'xrp', 'ltc', 'doge'] as const;
export type WalletFamily = (typeof walletFamilies)[number];

export const walletFamilyNames: Readonly<Record<WalletFamily, string>> = {
  btc: 'Bitcoin',
  evm: 'Ethereum-style (0x…)',
  tron: 'TRON',
  sol: 'Solana',
  xrp: 'XRP',
  ltc: 'Litecoin',
  doge: 'Dogecoin',
};

// What each asset a victim might name can live on. Several tokens exist on many chains; only the
// address formats we can validate are listed.
// `TRC`, `ERC`, `BEP` cover hyphenated network names such as `USDT TRC-20`.
const EVM_TOKENS = (
  'ETH ETHER ETHEREUM ERC20 ERC EVM BNB BSC BEP20 BEP BINANCE MATIC POL POLYGON ARB ARBITRUM OP OPTIMISM ' +
  'AVAX AVALANCHE BASE FTM FANTOM CRO DAI WETH WBTC LINK SHIB UNI PEPE BUSD FDUSD'
).split(' ');
const ASSET_FAMILIES = new Map<string, readonly WalletFamily[]>([
  ...EVM_TOKENS.map((token) => [token, ['evm']] as const),
  ['BTC', ['btc']],
  ['XBT', ['btc']],
  ['BITCOIN', ['btc']],
  ['USDT', ['evm', 'tron', 'sol']],
  ['TETHER', ['evm', 'tron', 'sol']],
  ['USDC', ['evm', 'sol']],
  ['USDCOIN', ['evm', 'sol']],
  ['PYUSD', ['evm', 'sol']],
  ['TRX', ['tron']],
  ['TRON', ['tron']],
  ['TRC20', ['tron']],
  ['TRC', ['tron']],
  ['SOL', ['sol']],
  ['SOLANA', ['sol']],
  ['SPL', ['sol']],
  ['XRP', ['xrp']],
  ['RIPPLE', ['xrp']],
  ['LTC', ['ltc']],
  ['LITECOIN', ['ltc']],
  ['DOGE', ['doge']],
  ['DOGECOIN', ['doge']],
]);

/**
 * The families an asset name (free text: `BTC`, `Tether`, `USDT-TRC20`, `USDC on Solana`) can
 * live on, or undefined when it names nothing we know (`other`, empty).
 * Each known word narrows the set: `USDT` is EVM, TRON or Solana; `USDT TRC20` is TRON.
 */
export const assetWalletFamilies = (asset: string | undefined): readonly WalletFamily[] | undefined => {
  const text = cleanInput(asset, 64)?.toUpperCase();
  if (!text) return undefined;
  const whole = ASSET_FAMILIES.get(text.replace(/[^A-Z0-9]/g, ''));
  if (whole) return whole;
  const sets = text
    .split(/[^A-Z0-9]+/)
    .map((word) => ASSET_FAMILIES.get(word))
    .filter((families) => families !== undefined);
  const [first, ...rest] = sets;
  if (!first) return undefined;
  const shared = first.filter((family) => rest.every((families) => families.includes(family)));
  return shared.length > 0 ? shared : walletFamilies.filter((family) => sets.some((s) => s.includes(family)));
};

type AddressCheck = { ok: true; canonical: string } | { ok: false; reason?: string };
const NO: AddressCheck = { ok: false };

const TESTNET =
  'This is a test-network address, which holds no real money. Check that you copied the right address.';
const EVM_CHECKSUM =
  'The capital letters in this address do not match its built-in check, so it probably has a typo. Copy it again from where you got it.';

const base58check = createBase58check(sha256);
const decodeBase58Check = (address: string): Uint8Array | undefined => {
  try {
    return base58check.decode(address);
  } catch {
    return undefined;
  }
};

/** Base58check with a one-byte version and a 20-byte hash (P2PKH / P2SH style). */
const checkVersioned = (
  address: string,
  versions: readonly number[],
  testnet: readonly number[],
): AddressCheck => {
  if (!/^[1-9A-HJ-NP-Za-km-z]{25,36}$/.test(address)) return NO;
  const payload = decodeBase58Check(address);
  if (payload?.length !== 21) return NO;
  const version = payload[0] ?? -1;
  if (versions.includes(version)) return { ok: true, canonical: address };
  return testnet.includes(version) ? { ok: false, reason: TESTNET } : NO;
};

/**
 * Native SegWit: witness v0 (bech32, 20- or 32-byte program) and v1 taproot (bech32m, 32 bytes).
 * Case is folded before checking: the checksum still catches typos, and a pasted all-capitals
 * (QR-code style) or oddly cased copy names the same address. Canonical form is lower-case.
 */
const checkSegwit = (address: string, hrp: string, testnetHrps: readonly string[]): AddressCheck => {
  const lower = address.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1) return NO;
  const prefix = lower.slice(0, separator);
  if (prefix !== hrp)
    return testnetHrps.includes(prefix) && isSegwit(lower, prefix) ? { ok: false, reason: TESTNET } : NO;
  return isSegwit(lower, hrp) ? { ok: true, canonical: lower } : NO;
};

const isSegwit = (lower: string, hrp: string): boolean => {
  const v0 = bech32.decodeUnsafe(lower);
  if (v0 && v0.prefix === hrp && v0.words[0] === 0) {
    const program = bech32.fromWordsUnsafe(v0.words.slice(1));
    return program !== undefined && (program.length === 20 || program.length === 32);
  }
  const v1 = bech32m.decodeUnsafe(lower);
  if (v1 && v1.prefix === hrp && v1.words[0] === 1) {
    return bech32m.fromWordsUnsafe(v1.words.slice(1))?.length === 32;
  }
  return false;
};

/** EIP-55: a hex letter is upper-case when the matching nibble of keccak-256(lower-case hex) is >= 8. */
export const toChecksumAddress = (hex40: string): string => {
  const lower = hex40.toLowerCase();
  const hash = hex.encode(keccak_256(new TextEncoder().encode(lower)));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const char = lower.charAt(i);
    out += Number.parseInt(hash.charAt(i), 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
};

const checkEvm = (address: string): AddressCheck => {
  const match = /^(?:0x)?([0-9a-fA-F]{40})$/i.exec(address);
  if (!match?.[1]) return NO;
  const body = match[1];
  const checksummed = toChecksumAddress(body);
  const mixedCase = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixedCase && checksummed.slice(2) !== body) return { ok: false, reason: EVM_CHECKSUM };
  return { ok: true, canonical: checksummed };
};

const checkTron = (address: string): AddressCheck => {
  // Hex form used by TRON APIs: 0x41 then the 20-byte account id.
  const hexForm = /^41[0-9a-fA-F]{40}$/.exec(address);
  if (hexForm) return { ok: true, canonical: base58check.encode(hex.decode(address.toLowerCase())) };
  if (!address.startsWith('T')) return NO;
  return checkVersioned(address, [0x41], []);
};

const checkXrp = (address: string): AddressCheck => {
  if (!/^r[1-9A-HJ-NP-Za-km-z]{24,34}$/.test(address)) return NO;
  let bytes: Uint8Array;
  try {
    bytes = base58xrp.decode(address);
  } catch {
    return NO;
  }
  if (bytes.length !== 25 || bytes[0] !== 0x00) return NO;
  const sum = sha256(sha256(bytes.subarray(0, 21)));
  return sum.subarray(0, 4).every((byte, i) => byte === bytes[21 + i])
    ? { ok: true, canonical: address }
    : NO;
};

const checkSolana = (address: string): AddressCheck => {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address)) return NO;
  try {
    const bytes = base58.decode(address);
    return bytes.length === 32 ? { ok: true, canonical: base58.encode(bytes) } : NO;
  } catch {
    return NO;
  }
};

/** A base58 address can begin with letters that look like a bech32 prefix (`Ltc1…`), so fall back. */
const segwitOr = (segwit: AddressCheck, base58Check: () => AddressCheck): AddressCheck =>
  segwit.ok || segwit.reason ? segwit : base58Check();

// Version bytes: BTC 0x00 (1…), 0x05 (3…); LTC 0x30 (L…), 0x32 (M…), 0x05; DOGE 0x1e (D…), 0x16 (9…/A…).
// Test networks: BTC/LTC/DOGE 0x6f/0xc4 (m…, n…, 2…), LTC 0x3a (Q…), DOGE 0x71 (n…).
const CHECKS: Readonly<Record<WalletFamily, (address: string) => AddressCheck>> = {
  evm: checkEvm,
  btc: (a) =>
    segwitOr(checkSegwit(a, 'bc', ['tb', 'bcrt']), () => checkVersioned(a, [0x00, 0x05], [0x6f, 0xc4])),
  ltc: (a) =>
    segwitOr(checkSegwit(a, 'ltc', ['tltc', 'rltc']), () =>
      checkVersioned(a, [0x30, 0x32, 0x05], [0x6f, 0x3a, 0xc4]),
    ),
  doge: (a) => checkVersioned(a, [0x1e, 0x16], [0x71, 0xc4]),
  tron: checkTron,
  xrp: checkXrp,
  sol: checkSolana,
};

/** Detection order: the first family that accepts an address names it (a `3…` P2SH is `btc`). */
const DETECTION_ORDER: readonly WalletFamily[] = ['evm', 'btc', 'ltc', 'doge', 'tron', 'xrp', 'sol'];

/** URI forms from wallets' QR codes: `bitcoin:bc1q…?amount=0.1`, `ethereum:0x…@1`, `ethereum:pay-0x…`. */
const WALLET_URI = /^(?:bitcoin|litecoin|dogecoin|ethereum|solana|tron|ripple|xrpl|xrp):(?:pay-)?([^?@/]*)/i;

/** Whether text is a wallet payment URI (`bitcoin:…`, `ethereum:…`) rather than `asset:address`. */
export const isWalletUri = (text: string): boolean => WALLET_URI.test(text.trim());

/** The address without spaces, line breaks or a payment-URI wrapper; undefined if far too long. */
const cleanAddress = (raw: string): string | undefined => {
  const cleaned = cleanInput(raw, 256)?.replace(/\s+/g, '');
  if (cleaned === undefined) return undefined;
  return WALLET_URI.exec(cleaned)?.[1] ?? cleaned;
};

type Found =
  | { family: WalletFamily; canonical: string; reason?: undefined }
  | { family?: undefined; canonical?: undefined; reason?: string };

const findFamily = (address: string, families: readonly WalletFamily[]): Found => {
  let reason: string | undefined;
  for (const family of families) {
    const check = CHECKS[family](address);
    if (check.ok) return { family, canonical: check.canonical };
    reason ??= check.reason;
  }
  return { reason };
};

/** The family of a valid address (any spelling), or undefined if it is not a valid address we know. */
export const detectWalletFamily = (address: string): WalletFamily | undefined => {
  const cleaned = cleanAddress(address);
  if (!cleaned) return undefined;
  return findFamily(cleaned, DETECTION_ORDER).family;
};

/**
 * A crypto wallet address validated for its chain, as `family:canonical` (e.g.
 * `btc:bc1q…`, `evm:0x` + EIP-55 checksummed hex). `asset` is free text; when it names a known
 * currency the address must be valid for one of the chains that currency lives on. The family in
 * the value always comes from the address itself, so a lookup without the asset gives the same
 * value as the report.
 */
export const normaliseWallet = (asset: string | undefined, address: string): NormaliseResult => {
  const cleaned = cleanAddress(address);
  if (cleaned === undefined) return fail('This is too long to be a wallet address.');
  if (cleaned === '') return fail('Enter the wallet address the money was sent to.');
  if (/\.eth$/i.test(cleaned)) {
    return fail(
      'Names ending in .eth can point to different addresses over time. Enter the 0x… address instead.',
    );
  }
  if (cleaned.length > 100) return fail('This is too long to be a wallet address.');

  const families = assetWalletFamilies(asset);
  const found = findFamily(cleaned, families ?? DETECTION_ORDER);
  if (found.family) {
    // A P2SH `3…` named as Litecoin still indexes as `btc:3…`, the same as a lookup without the asset.
    const family = findFamily(found.canonical, DETECTION_ORDER).family ?? found.family;
    return ok('crypto-wallet', `${family}:${found.canonical}`, found.canonical);
  }
  if (found.reason) return fail(found.reason);
  if (families) {
    const label = cleanInput(asset, 64)?.slice(0, 40) ?? '';
    const other = findFamily(cleaned, DETECTION_ORDER);
    if (other.family) {
      return fail(
        `This is not a valid ${label} address; it looks like a ${walletFamilyNames[other.family]} address. Check which currency you sent.`,
      );
    }
    return fail(
      `This is not a valid ${label} address. Copy it again from the app or message you used to pay.`,
    );
  }
  return fail(
    'We could not recognise this wallet address. Copy it again from the app or message you used to pay, and say which currency it was.',
  );
};
