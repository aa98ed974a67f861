/**
 * The API's field problems in the page's language. The API writes its messages in plain English
 * for the person filing; on a Spanish page each one is replaced by our Spanish message for that
 * kind of answer (known from the last part of its path), so no English is shown.
 */
import type { Lang, Messages } from '../i18n/types.ts';
import type { FieldProblem } from './api.ts';

type ErrorKey = keyof Messages['errors'];

const byField: Readonly<Record<string, ErrorKey>> = {
  phones: 'checkPhone',
  phone: 'checkPhone',
  emails: 'checkEmail',
  email: 'checkEmail',
  websites: 'checkWebsite',
  socialHandles: 'checkSocial',
  routingNumber: 'checkRouting',
  accountNumber: 'checkAccount',
  iban: 'checkAccount',
  swift: 'checkAccount',
  address: 'checkWallet',
  txHash: 'checkTxHash',
  handle: 'checkHandle',
  cardNumber: 'checkCard',
  mtcn: 'checkMtcn',
  amountCents: 'checkAmount',
  recoveriesCents: 'checkAmount',
  date: 'checkDate',
  firstContactDate: 'checkDate',
  zip: 'zipInvalid',
  narrative: 'narrativeRequired',
  category: 'categoryRequired',
  method: 'methodRequired',
};

export function localiseProblems(problems: readonly FieldProblem[], t: Messages, lang: Lang): FieldProblem[] {
  return problems.map(({ path, message }) => {
    if (lang === 'en' && message.trim() !== '') return { path, message };
    const field = path
      .split('.')
      .reverse()
      .find((part) => !/^\d+$/.test(part));
    const key = (field && byField[field]) || 'checkAnswer';
    return { path, message: t.errors[key] };
  });
}
