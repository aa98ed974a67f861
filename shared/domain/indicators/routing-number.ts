/**
 * The ABA routing number check, on its own without imports, so the website checks a routing
 * number exactly as the API does before sending it.
 */

// 9 digits, weights 3-7-1 sum to a multiple of 10, and the first two digits are a Federal Reserve
// district range (00-12, 21-32 thrifts, 61-72 electronic, 80 travellers' cheques).
const ROUTING_PREFIX = /^(?:0\d|1[0-2]|2[1-9]|3[0-2]|6[1-9]|7[0-2]|80)/;
const ABA_WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

export const isValidRoutingNumber = (routing: string): boolean => {
  if (!/^\d{9}$/.test(routing) || routing === '000000000' || !ROUTING_PREFIX.test(routing)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(routing.charAt(i)) * (ABA_WEIGHTS[i] ?? 0);
  return sum % 10 === 0;
};

/** A US account number as the API takes it: 4 to 17 digits, with spaces, dashes and dots ignored. */
export const isValidUsAccountNumber = (account: string): boolean =>
  /^\d{4,17}$/.test(account.replace(/[\s\-.]/g, ''));
