// Scammer identifiers, normalised so that every report paying the same scammer links up.
// Pure functions: no I/O, no AWS SDK; all of them also run in a browser.

export {
  type BankAccountInput,
  describeBankAccount,
  type IbanResult,
  ibanChecksumOk,
  isValidRoutingNumber,
  last4,
  normaliseBankAccount,
  normaliseBic,
  normaliseIban,
  normaliseRoutingNumber,
  type RoutingNumberResult,
} from './bank-account.ts';
export { normaliseDomain } from './domain.ts';
export { normaliseEmail } from './email.ts';
export { giftCardBrand, normaliseGiftCard } from './gift-card.ts';
export { normaliseIndicator } from './indicator.ts';
export { moneyTransferProvider, normaliseMoneyTransfer } from './money-transfer.ts';
export { normalisePaymentApp, type PaymentService, paymentService, paymentServices } from './payment-app.ts';
export { normalisePhone } from './phone.ts';
export { keyedHash, MIN_INDEX_KEY_BYTES } from './secret-hash.ts';
export { normaliseSocialHandle, type SocialPlatform, socialPlatforms } from './social-handle.ts';
export { normaliseTxHash, type TxHashResult } from './tx-hash.ts';
export {
  type Indicator,
  type IndicatorType,
  indicatorTypes,
  isIndicatorType,
  type NormaliseResult,
} from './types.ts';
export {
  assetWalletFamilies,
  detectWalletFamily,
  normaliseWallet,
  toChecksumAddress,
  type WalletFamily,
  walletFamilies,
  walletFamilyNames,
} from './wallet.ts';
