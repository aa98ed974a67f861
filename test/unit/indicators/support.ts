import { expect } from 'vitest';
import type { Indicator, NormaliseResult } from '#shared/domain/indicators/index.ts';

/** A 32-byte test key; real deployments load theirs from a secret. */
export const testKey = new Uint8Array(32).fill(0x42);
export const otherKey = new Uint8Array(32).fill(0x43);

/** The indicator of a successful result (fails the test with the reason otherwise). */
export const accepted = (result: NormaliseResult): Indicator => {
  if (!result.ok) expect.fail(`expected success, got: ${result.reason}`);
  return result.indicator;
};

/** The reason of a failed result, checked to be one plain sentence a person can act on. */
export const rejected = (result: NormaliseResult | { ok: boolean; reason?: string }): string => {
  if (result.ok) expect.fail(`expected a rejection, got ${JSON.stringify(result)}`);
  const reason = (result as { reason: string }).reason;
  expectPlainSentence(reason);
  return reason;
};

export const expectPlainSentence = (reason: string): void => {
  expect(reason).toMatch(/^[A-Z].*\.$/s);
  expect(reason.length).toBeLessThanOrEqual(200);
  expect(reason).not.toMatch(/undefined|null|NaN|\[object|Error/);
};

/** Any result: success with a well-formed indicator, or a rejection with a plain reason. */
export const expectWellFormed = (result: NormaliseResult): void => {
  if (result.ok) {
    expect(result.indicator.value.length).toBeGreaterThan(0);
    expect(result.indicator.display.length).toBeGreaterThan(0);
  } else {
    expectPlainSentence(result.reason);
  }
};
