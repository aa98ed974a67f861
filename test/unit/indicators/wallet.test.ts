import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assetWalletFamilies,
  detectWalletFamily,
  normaliseIndicator,
  normaliseWallet,
  toChecksumAddress,
} from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected, testKey } from './support.ts';

const base58check = createBase58check(sha256);

// Real addresses and published test vectors.
const BTC_GENESIS = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const BTC_P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const BIP173_P2WPKH = 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4';
const BIP173_P2WSH = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
const BIP350_P2TR = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';
const EIP55_VECTORS = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];
const USDT_TRC20_CONTRACT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const SOL_SYSTEM_PROGRAM = '11111111111111111111111111111111';
const USDC_MINT_SOLANA = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const XRP_ADDRESS = 'rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh';
const XRP_ACCOUNT_ZERO = 'rrrrrrrrrrrrrrrrrrrrrhoLvTp';
const LTC_L = 'LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz';
const LTC_M = 'MGxNPPB7eBoWPUaprtX9v9CXJZoD2465zN';
const LTC_BECH32 = 'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9';
const DOGE = 'DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L';

describe('normaliseWallet: Bitcoin', () => {
  it.each([
    [BTC_GENESIS, `btc:${BTC_GENESIS}`],
    [BTC_P2SH, `btc:${BTC_P2SH}`],
    [BIP173_P2WPKH, `btc:${BIP173_P2WPKH.toLowerCase()}`],
    [BIP173_P2WSH, `btc:${BIP173_P2WSH}`],
    [BIP350_P2TR, `btc:${BIP350_P2TR}`],
    [BIP350_P2TR.toUpperCase(), `btc:${BIP350_P2TR}`],
  ])('accepts %s', (address, value) => {
    for (const asset of ['BTC', 'bitcoin', undefined, 'other']) {
      const wallet = accepted(normaliseWallet(asset, address));
      expect(wallet).toEqual({ type: 'crypto-wallet', value, display: value.slice(4) });
    }
  });

  it('accepts payment-URI and wrapped forms of an address', () => {
    expect(accepted(normaliseWallet('BTC', `bitcoin:${BTC_GENESIS}?amount=0.5&label=x`)).value).toBe(
      `btc:${BTC_GENESIS}`,
    );
    expect(
      accepted(normaliseWallet('BTC', ` ${BTC_GENESIS.slice(0, 17)}\n${BTC_GENESIS.slice(17)} `)).value,
    ).toBe(`btc:${BTC_GENESIS}`);
  });

  it.each([
    'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn',
    '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc',
  ])('rejects the test-network address %s and says so', (address) => {
    expect(rejected(normaliseWallet('BTC', address))).toMatch(/test-network/);
    expect(rejected(normaliseWallet(undefined, address))).toMatch(/test-network/);
  });

  it.each([
    ['witness v0 with a bech32m checksum (BIP-350)', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh'],
    [
      'witness v1 with a bech32 checksum',
      bech32.encode('bc', [1, ...bech32.toWords(new Uint8Array(32).fill(9))]),
    ],
    ['a v0 program of the wrong length', bech32.encode('bc', [0, ...bech32.toWords(new Uint8Array(25))])],
    ['a wrong bech32 checksum', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'],
    ['a wrong base58check checksum', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'],
    ['a witness version we do not use', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'],
    ['a truncated address', BTC_GENESIS.slice(0, 20)],
  ])('rejects %s', (_label, address) => {
    expect(rejected(normaliseWallet('BTC', address))).toMatch(/not a valid BTC address/);
  });
});

describe('normaliseWallet: Ethereum and EVM chains', () => {
  it.each(EIP55_VECTORS)('accepts the EIP-55 vector %s as its checksummed form', (address) => {
    expect(toChecksumAddress(address.slice(2))).toBe(address);
    for (const spelling of [address, address.toLowerCase(), `0x${address.slice(2).toUpperCase()}`]) {
      expect(accepted(normaliseWallet('ETH', spelling))).toEqual({
        type: 'crypto-wallet',
        value: `evm:${address}`,
        display: address,
      });
    }
  });

  it('accepts every EVM asset and chain name for the same address', () => {
    const address = EIP55_VECTORS[4] ?? '';
    for (const asset of [
      'eth',
      'USDT',
      'USDC',
      'BNB',
      'MATIC',
      'POL',
      'ARB',
      'OP',
      'AVAX',
      'USDT-ERC20',
      'USDT (BEP20)',
    ]) {
      expect(accepted(normaliseWallet(asset, address)).value).toBe(`evm:${address}`);
    }
  });

  it('adds a missing 0x when the asset is an EVM one', () => {
    const address = EIP55_VECTORS[4] ?? '';
    expect(accepted(normaliseWallet('ETH', address.slice(2).toLowerCase())).value).toBe(`evm:${address}`);
  });

  it('rejects a mixed-case address whose capitals do not match the checksum (every single-letter case flip)', () => {
    for (const address of EIP55_VECTORS.slice(4)) {
      for (let i = 2; i < address.length; i++) {
        const char = address.charAt(i);
        if (!/[a-fA-F]/.test(char)) continue;
        const flipped = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
        const typo = address.slice(0, i) + flipped + address.slice(i + 1);
        expect(rejected(normaliseWallet('ETH', typo))).toMatch(/capital letters/);
      }
    }
  });

  it('rejects ENS names and malformed hex with a reason', () => {
    expect(rejected(normaliseWallet('ETH', 'vitalik.eth'))).toMatch(/0x/);
    expect(rejected(normaliseWallet('ETH', '0x1234'))).toMatch(/not a valid ETH address/);
    expect(rejected(normaliseWallet('ETH', `0x${'g'.repeat(40)}`))).toMatch(/not a valid ETH address/);
  });
});

describe('normaliseWallet: TRON, Solana, XRP, Litecoin, Dogecoin', () => {
  it.each(['USDT-TRC20', 'USDT', 'Tether', 'TRX', 'tron', 'USDT TRC-20', undefined])(
    'accepts the USDT-TRC20 contract address with asset %s',
    (asset) => {
      expect(accepted(normaliseWallet(asset, USDT_TRC20_CONTRACT)).value).toBe(`tron:${USDT_TRC20_CONTRACT}`);
    },
  );

  it('reads the hex form of a TRON address as the same address', () => {
    const hexForm = Buffer.from(base58check.decode(USDT_TRC20_CONTRACT)).toString('hex');
    expect(hexForm).toMatch(/^41[0-9a-f]{40}$/);
    expect(accepted(normaliseWallet('TRX', hexForm)).value).toBe(`tron:${USDT_TRC20_CONTRACT}`);
  });

  it.each([SOL_SYSTEM_PROGRAM, USDC_MINT_SOLANA, 'So11111111111111111111111111111111111111112'])(
    'accepts the Solana address %s',
    (address) => {
      for (const asset of ['SOL', 'USDC', 'USDT', 'USDC on Solana', undefined]) {
        expect(accepted(normaliseWallet(asset, address)).value).toBe(`sol:${address}`);
      }
    },
  );

  it('rejects base58 that does not decode to a 32-byte Solana key', () => {
    expect(rejected(normaliseWallet('SOL', '1111111111111111111111111111111'))).toMatch(
      /not a valid SOL address/,
    );
    expect(rejected(normaliseWallet('SOL', `${USDC_MINT_SOLANA}1`))).toMatch(/not a valid SOL address/);
    expect(rejected(normaliseWallet('SOL', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt0v'))).toMatch(/SOL/);
  });

  it.each([XRP_ADDRESS, XRP_ACCOUNT_ZERO])('accepts the XRP address %s', (address) => {
    expect(accepted(normaliseWallet('XRP', address)).value).toBe(`xrp:${address}`);
    expect(accepted(normaliseWallet(undefined, address)).value).toBe(`xrp:${address}`);
  });

  it('accepts Litecoin L, M and ltc1 addresses', () => {
    expect(accepted(normaliseWallet('LTC', LTC_L)).value).toBe(`ltc:${LTC_L}`);
    expect(accepted(normaliseWallet('Litecoin', LTC_M)).value).toBe(`ltc:${LTC_M}`);
    expect(accepted(normaliseWallet('LTC', LTC_BECH32.toUpperCase())).value).toBe(`ltc:${LTC_BECH32}`);
    expect(accepted(normaliseWallet(undefined, LTC_BECH32)).value).toBe(`ltc:${LTC_BECH32}`);
  });

  it('indexes a P2SH 3… address the same whether it was named as Bitcoin or Litecoin', () => {
    const asLtc = accepted(normaliseWallet('LTC', BTC_P2SH)).value;
    expect(asLtc).toBe(accepted(normaliseWallet('BTC', BTC_P2SH)).value);
    expect(asLtc).toBe(accepted(normaliseWallet(undefined, BTC_P2SH)).value);
  });

  it('accepts Dogecoin D… addresses', () => {
    expect(accepted(normaliseWallet('DOGE', DOGE)).value).toBe(`doge:${DOGE}`);
    expect(accepted(normaliseWallet(undefined, DOGE)).value).toBe(`doge:${DOGE}`);
  });
});

describe('normaliseWallet: asset and address disagree', () => {
  it('names the asset and the chain the address looks like', () => {
    const reason = rejected(normaliseWallet('BTC', USDT_TRC20_CONTRACT));
    expect(reason).toMatch(/not a valid BTC address/);
    expect(reason).toMatch(/TRON/);
    expect(rejected(normaliseWallet('USDT-ERC20', USDT_TRC20_CONTRACT))).toMatch(/USDT-ERC20.*TRON/);
    expect(rejected(normaliseWallet('LTC', BTC_GENESIS))).toMatch(/LTC.*Bitcoin/);
    expect(rejected(normaliseWallet('SOL', EIP55_VECTORS[0] ?? ''))).toMatch(/SOL.*Ethereum/);
  });

  it('detects the chain when the asset is missing or unknown, and rejects what matches nothing', () => {
    expect(accepted(normaliseWallet('some coin', BTC_GENESIS)).value).toBe(`btc:${BTC_GENESIS}`);
    expect(rejected(normaliseWallet(undefined, 'not-a-wallet'))).toMatch(/could not recognise/);
    expect(rejected(normaliseWallet('other', '0OIl'))).toMatch(/could not recognise/);
    expect(rejected(normaliseWallet('BTC', ''))).toMatch(/Enter the wallet address/);
  });
});

describe('assetWalletFamilies and detectWalletFamily', () => {
  it.each([
    ['BTC', ['btc']],
    ['Bitcoin', ['btc']],
    ['eth', ['evm']],
    ['USDT', ['evm', 'tron', 'sol']],
    ['Tether', ['evm', 'tron', 'sol']],
    ['USDT-TRC20', ['tron']],
    ['USDT TRC-20', ['tron']],
    ['USDT (BEP-20)', ['evm']],
    ['Tether (ERC20)', ['evm']],
    ['USDC on Solana', ['sol']],
    ['USDC', ['evm', 'sol']],
    ['LTC', ['ltc']],
    ['other', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('maps the asset %j to %j', (asset, families) => {
    expect(assetWalletFamilies(asset)).toEqual(families);
  });

  it.each([
    [BTC_GENESIS, 'btc'],
    [BIP350_P2TR, 'btc'],
    [EIP55_VECTORS[0] ?? '', 'evm'],
    [USDT_TRC20_CONTRACT, 'tron'],
    [USDC_MINT_SOLANA, 'sol'],
    [XRP_ADDRESS, 'xrp'],
    [LTC_L, 'ltc'],
    [LTC_BECH32, 'ltc'],
    [DOGE, 'doge'],
    ['hello', undefined],
    ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', undefined],
  ])('detects %s as %s', (address, family) => {
    expect(detectWalletFamily(address)).toBe(family);
  });
});

describe('normaliseWallet properties', () => {
  const hash20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
  const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const versioned = fc
    .tuple(fc.constantFrom(0x00, 0x05, 0x30, 0x32, 0x1e, 0x16, 0x41), hash20)
    .map(([version, hash]) => base58check.encode(Uint8Array.from([version, ...hash])));
  const segwit = fc.oneof(
    fc
      .tuple(fc.constantFrom('bc', 'ltc'), hash20)
      .map(([hrp, p]) => bech32.encode(hrp, [0, ...bech32.toWords(p)])),
    fc
      .tuple(fc.constantFrom('bc', 'ltc'), hash32)
      .map(([hrp, p]) => bech32.encode(hrp, [0, ...bech32.toWords(p)])),
    hash32.map((p) => bech32m.encode('bc', [1, ...bech32m.toWords(p)])),
  );
  const evm = hash20.map((bytes) => toChecksumAddress(Buffer.from(bytes).toString('hex')));
  const valid = fc.oneof(
    versioned,
    segwit,
    evm,
    fc.constantFrom(XRP_ADDRESS, SOL_SYSTEM_PROGRAM, USDC_MINT_SOLANA),
  );

  it('accepts generated valid addresses, and normalising the value again gives the value', () => {
    fc.assert(
      fc.property(valid, (address) => {
        const wallet = accepted(normaliseWallet(undefined, address));
        const canonical = wallet.value.slice(wallet.value.indexOf(':') + 1);
        expect(canonical).toBe(wallet.display);
        expect(accepted(normaliseWallet(undefined, canonical)).value).toBe(wallet.value);
        expect(accepted(normaliseIndicator('crypto-wallet', wallet.value, testKey)).value).toBe(wallet.value);
      }),
    );
  });

  it('gives one value for any letter case of a bech32 or EVM address', () => {
    const addressAndCase = fc.tuple(
      fc.oneof(segwit, evm),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
    );
    fc.assert(
      fc.property(addressAndCase, ([address, flags]) => {
        const allOneCase = address.startsWith('0x')
          ? `0x${flags[0] ? address.slice(2).toUpperCase() : address.slice(2).toLowerCase()}`
          : [...address]
              .map((c, i) => (flags[i % flags.length] ? c.toUpperCase() : c.toLowerCase()))
              .join('');
        expect(accepted(normaliseWallet(undefined, allOneCase)).value).toBe(
          accepted(normaliseWallet(undefined, address)).value,
        );
      }),
    );
  });

  it('rejects a checksummed address with any one character changed', () => {
    const base58Alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    const bech32Alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    const mutation = fc
      .tuple(
        fc.oneof(versioned, segwit, fc.constantFrom(XRP_ADDRESS, BIP350_P2TR, LTC_BECH32)),
        fc.nat(),
        fc.nat(),
      )
      .map(([address, at, pick]) => {
        const isBech32 = /^(bc|ltc)1/.test(address);
        // Keep the human-readable prefix so the change lands in data or checksum characters.
        const start = isBech32 ? address.indexOf('1') + 1 : 1;
        const index = start + (at % (address.length - start));
        const alphabet = isBech32 ? bech32Alphabet : base58Alphabet;
        const original = address.charAt(index);
        const choices = [...alphabet].filter((c) => c !== original);
        const replacement = choices[pick % choices.length] ?? '';
        return { address, mutated: address.slice(0, index) + replacement + address.slice(index + 1) };
      });
    fc.assert(
      fc.property(mutation, ({ address, mutated }) => {
        expect(mutated).not.toBe(address);
        const result = normaliseWallet(undefined, mutated);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('never throws on arbitrary text, with or without an asset', () => {
    const asset = fc.option(
      fc.constantFrom('BTC', 'ETH', 'USDT', 'SOL', 'XRP', 'LTC', 'DOGE', 'TRX', 'other', 'x y z'),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(asset, fc.string({ unit: 'binary', maxLength: 100 }), (a, raw) => {
        expectWellFormed(normaliseWallet(a, raw));
      }),
    );
    fc.assert(
      fc.property(asset, fc.stringMatching(/^(0x|bc1|ltc1|T|r|L|1|3)[0-9a-zA-Z]{0,60}$/), (a, raw) => {
        expectWellFormed(normaliseWallet(a, raw));
      }),
    );
  });
});
