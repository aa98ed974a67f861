/**
 * Advice shown right after a report is filed, tailored to how the person paid and what kind of
 * scam it was. Money moved by wire, card or gift card can sometimes be stopped if the bank or
 * issuer hears about it within hours, so payment-specific steps come first.
 *
 * Written for a 6th-grade reader, in English and Spanish. Phone numbers are the companies'
 * published fraud lines.
 */
import type { Category, PaymentMethod, PortalLanguage } from './enums.ts';

export interface NextStep {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

type Text = Readonly<Record<PortalLanguage, { title: string; body: string }>>;

const steps = {
  'recall-wire': {
    en: {
      title: 'Call your bank today and ask it to recall the wire',
      body: 'Call the number on your bank statement or the back of your card. Say the wire transfer was a scam and ask the bank to recall it. The sooner you call, the better the chance of getting money back.',
    },
    es: {
      title: 'Llame hoy a su banco y pida que recupere la transferencia',
      body: 'Llame al número de su estado de cuenta o del reverso de su tarjeta. Diga que la transferencia fue una estafa y pida al banco que la recupere. Mientras antes llame, más probable es recuperar el dinero.',
    },
  },
  'report-bank-transfer': {
    en: {
      title: 'Tell your bank the transfer was a scam',
      body: 'Call your bank and report the transfer as fraud. Ask if it can be stopped or reversed. Ask the bank to watch your account.',
    },
    es: {
      title: 'Dígale a su banco que la transferencia fue una estafa',
      body: 'Llame a su banco y reporte la transferencia como fraude. Pregunte si se puede detener o revertir. Pida al banco que vigile su cuenta.',
    },
  },
  'dispute-card': {
    en: {
      title: 'Dispute the charge with your card company',
      body: 'Call the number on the back of your card. Say the charge was a scam and ask to dispute it (a "chargeback"). Ask for a new card number.',
    },
    es: {
      title: 'Dispute el cargo con la compañía de su tarjeta',
      body: 'Llame al número del reverso de su tarjeta. Diga que el cargo fue una estafa y pida disputarlo. Pida un nuevo número de tarjeta.',
    },
  },
  'report-payment-app': {
    en: {
      title: 'Report the payment in the app and to your bank',
      body: 'Open the app you used (such as Zelle, Venmo, Cash App or PayPal) and report the payment as a scam. If the app is linked to your bank account or card, call your bank too and ask if the payment can be reversed.',
    },
    es: {
      title: 'Reporte el pago en la aplicación y a su banco',
      body: 'Abra la aplicación que usó (como Zelle, Venmo, Cash App o PayPal) y reporte el pago como estafa. Si la aplicación está conectada a su cuenta o tarjeta, llame también a su banco y pregunte si se puede revertir el pago.',
    },
  },
  'report-crypto': {
    en: {
      title: 'Report the wallet address to the exchange or crypto ATM company',
      body: 'Contact the exchange or crypto ATM company you used to send the money. Give them the wallet address and the transaction ID. They can sometimes freeze the money before the scammer moves it.',
    },
    es: {
      title: 'Reporte la dirección de la billetera a la plataforma o al cajero de criptomonedas',
      body: 'Comuníquese con la plataforma (exchange) o la compañía del cajero de criptomonedas que usó para enviar el dinero. Deles la dirección de la billetera y el número de la transacción. A veces pueden congelar el dinero antes de que el estafador lo mueva.',
    },
  },
  'call-gift-card-issuer': {
    en: {
      title: 'Call the gift card company right away',
      body: 'Call the company that sold the gift card. The phone number is on the back of the card. Tell them the card was used in a scam and ask for a refund. Keep the cards and your receipts.',
    },
    es: {
      title: 'Llame de inmediato a la compañía de la tarjeta de regalo',
      body: 'Llame a la compañía que vendió la tarjeta de regalo. El número está en el reverso de la tarjeta. Diga que la tarjeta se usó en una estafa y pida un reembolso. Guarde las tarjetas y los recibos.',
    },
  },
  'contact-money-transfer': {
    en: {
      title: 'Contact the money transfer company',
      body: 'Call the company you used, for example Western Union (1-800-448-1492) or MoneyGram (1-800-926-9400). Give them the tracking number (MTCN). If the money has not been picked up yet, they may be able to stop it.',
    },
    es: {
      title: 'Comuníquese con la compañía de envío de dinero',
      body: 'Llame a la compañía que usó, por ejemplo Western Union (1-800-448-1492) o MoneyGram (1-800-926-9400). Deles el número de control del envío (MTCN). Si el dinero aún no se ha cobrado, quizá puedan detenerlo.',
    },
  },
  'stop-cash-shipment': {
    en: {
      title: 'If you mailed cash, contact the shipping company',
      body: 'If you sent cash by mail or by a delivery service (USPS, UPS or FedEx), call them with the tracking number. They may be able to stop the package.',
    },
    es: {
      title: 'Si envió dinero en efectivo por correo, llame a la compañía de envíos',
      body: 'Si envió efectivo por correo o por un servicio de entrega (USPS, UPS o FedEx), llámelos con el número de rastreo. Quizá puedan detener el paquete.',
    },
  },
  'stop-check': {
    en: {
      title: 'Ask your bank to stop the check or money order',
      body: 'Call your bank (or the place that sold the money order) and ask them to stop payment. Have the check or money order number ready.',
    },
    es: {
      title: 'Pida a su banco que detenga el cheque o giro postal',
      body: 'Llame a su banco (o al lugar que vendió el giro postal) y pida que detengan el pago. Tenga a mano el número del cheque o del giro.',
    },
  },
  'identity-theft': {
    en: {
      title: 'Get a recovery plan at IdentityTheft.gov',
      body: 'Visit IdentityTheft.gov or call 1-877-438-4338 for a step-by-step plan. Think about freezing your credit with Equifax, Experian and TransUnion. A freeze is free.',
    },
    es: {
      title: 'Obtenga un plan de recuperación en RobodeIdentidad.gov',
      body: 'Visite RobodeIdentidad.gov o llame al 1-877-438-4338 para un plan paso a paso. Piense en congelar su crédito con Equifax, Experian y TransUnion. Congelarlo es gratis.',
    },
  },
  'secure-computer': {
    en: {
      title: 'If they got into your computer or phone, secure it',
      body: 'Update your security software and run a scan. Remove any program they asked you to install. Change the passwords for your email and bank from a device they did not touch.',
    },
    es: {
      title: 'Si entraron a su computadora o teléfono, protéjalo',
      body: 'Actualice su programa de seguridad y haga un escaneo. Borre cualquier programa que le pidieron instalar. Cambie las contraseñas de su correo y su banco desde otro aparato.',
    },
  },
  'change-passwords': {
    en: {
      title: 'Change passwords you may have shared',
      body: 'If you typed a password or code into a message or website, change that password now. Turn on two-step sign-in where you can.',
    },
    es: {
      title: 'Cambie las contraseñas que pudo haber compartido',
      body: 'Si escribió una contraseña o un código en un mensaje o sitio web, cámbiela ahora. Active la verificación en dos pasos donde pueda.',
    },
  },
  'stop-contact': {
    en: {
      title: 'Stop all contact with the scammer',
      body: 'Do not answer their calls, texts or messages, and do not send more money, even if they promise to pay you back or threaten you.',
    },
    es: {
      title: 'No tenga más contacto con el estafador',
      body: 'No conteste sus llamadas, textos ni mensajes, y no envíe más dinero, aunque le prometan devolverlo o lo amenacen.',
    },
  },
  'no-fees': {
    en: {
      title: 'We will never ask you for a fee',
      body: 'No one from this office will ever ask you to pay money, a fee, gift cards or crypto to get your money back. If someone does, it is a "recovery scam". Hang up and report it.',
    },
    es: {
      title: 'Nunca le pediremos que pague nada',
      body: 'Nadie de esta oficina le pedirá nunca dinero, una tarifa, tarjetas de regalo ni criptomonedas para recuperar su dinero. Si alguien lo hace, es una estafa de "recuperación". Cuelgue y repórtelo.',
    },
  },
  'keep-records': {
    en: {
      title: 'Keep your records and your reference number',
      body: 'Save receipts, bank statements, messages and screenshots. Write down your reference number. You may need them if money is recovered.',
    },
    es: {
      title: 'Guarde sus documentos y su número de referencia',
      body: 'Guarde recibos, estados de cuenta, mensajes y capturas de pantalla. Anote su número de referencia. Puede necesitarlos si se recupera dinero.',
    },
  },
} as const satisfies Record<string, Text>;

export type NextStepId = keyof typeof steps;

const byMethod: Partial<Record<PaymentMethod, NextStepId>> = {
  'wire-transfer': 'recall-wire',
  'bank-transfer': 'report-bank-transfer',
  'credit-card': 'dispute-card',
  'debit-card': 'dispute-card',
  'payment-app': 'report-payment-app',
  cryptocurrency: 'report-crypto',
  'gift-card': 'call-gift-card-issuer',
  cash: 'stop-cash-shipment',
  check: 'stop-check',
  'money-order': 'stop-check',
};

const byCategory: Partial<Record<Category, NextStepId>> = {
  'identity-theft': 'identity-theft',
  'imposter-tech-support': 'secure-computer',
  ransomware: 'secure-computer',
  phishing: 'change-passwords',
};

export interface NextStepsInput {
  readonly category: Category;
  readonly paymentMethods: readonly PaymentMethod[];
  readonly recipientKinds?: readonly string[];
  /**
   * Each payment's method with who got it, when known: the advice follows the channel actually
   * used, so a "wire" sent through Western Union gets "contact the money transfer company", not
   * "ask your bank to recall the wire".
   */
  readonly payments?: readonly { readonly method: PaymentMethod; readonly recipientKind?: string }[];
}

function stepForPayment(method: PaymentMethod, recipientKind: string | undefined): NextStepId | undefined {
  if (recipientKind === 'money-transfer') return 'contact-money-transfer';
  return byMethod[method];
}

/** The ordered, de-duplicated advice for one report. */
export function nextStepsFor(input: NextStepsInput, lang: PortalLanguage = 'en'): NextStep[] {
  const ids: NextStepId[] = [];
  const add = (id: NextStepId | undefined) => {
    if (id && !ids.includes(id)) ids.push(id);
  };
  if (input.payments) for (const p of input.payments) add(stepForPayment(p.method, p.recipientKind));
  else for (const m of input.paymentMethods) add(byMethod[m]);
  if (input.recipientKinds?.includes('money-transfer')) add('contact-money-transfer');
  add(byCategory[input.category]);
  add('stop-contact');
  add('no-fees');
  add('keep-records');
  return ids.map((id) => ({ id, ...steps[id][lang] }));
}

/** Every step in both languages, for the website's catalogue tests. */
export const allNextSteps = steps;
