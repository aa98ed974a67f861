import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseSocialHandle } from '#shared/domain/indicators/index.ts';
import { accepted, expectWellFormed, rejected } from './support.ts';

describe('normaliseSocialHandle', () => {
  it.each([
    ['@Scammer_01', 'unknown:scammer_01'],
    ['Scammer_01', 'unknown:scammer_01'],
    ['https://www.facebook.com/Some.User', 'facebook:some.user'],
    ['https://m.facebook.com/some.user?ref=x', 'facebook:some.user'],
    ['https://www.facebook.com/profile.php?id=100012345678', 'facebook:100012345678'],
    ['facebook.com/groups/crypto-wins', 'facebook:groups/crypto-wins'],
    ['instagram.com/X', 'instagram:x'],
    ['https://www.instagram.com/invest.with.anna/', 'instagram:invest.with.anna'],
    ['https://x.com/FakeSupport', 'x:fakesupport'],
    ['https://twitter.com/FakeSupport/status/123456', 'x:fakesupport'],
    ['t.me/CryptoSignalsVIP', 'telegram:cryptosignalsvip'],
    ['https://t.me/s/CryptoSignalsVIP', 'telegram:cryptosignalsvip'],
    ['https://www.tiktok.com/@Anna.Invests', 'tiktok:anna.invests'],
    ['https://www.linkedin.com/in/john-recruiter', 'linkedin:john-recruiter'],
    ['https://www.youtube.com/@GiveawayLive', 'youtube:giveawaylive'],
    ['instagram:@X', 'instagram:x'],
    ['IG: x', 'instagram:x'],
    ['twitter:fakesupport', 'x:fakesupport'],
  ])('reads %j as %s', (raw, value) => {
    expect(accepted(normaliseSocialHandle(raw)).value).toBe(value);
  });

  it('shows the platform and the handle', () => {
    expect(accepted(normaliseSocialHandle('tiktok.com/@Anna.Invests')).display).toBe('TikTok @anna.invests');
    expect(accepted(normaliseSocialHandle('@anna')).display).toBe('Social media @anna');
  });

  it('turns WhatsApp links into the phone number they name', () => {
    for (const raw of [
      'https://wa.me/12025550143',
      'wa.me/12025550143?text=hi',
      'https://api.whatsapp.com/send?phone=12025550143',
    ]) {
      expect(accepted(normaliseSocialHandle(raw))).toEqual({
        type: 'phone',
        value: '+12025550143',
        display: '+1 202 555 0143',
      });
    }
    expect(accepted(normaliseSocialHandle('whatsapp: (202) 555-0143')).value).toBe('+12025550143');
    expect(accepted(normaliseSocialHandle('https://t.me/+12025550143')).value).toBe('+12025550143');
  });

  it.each([
    ['empty', '', /Enter the @name/],
    ['a name with spaces', 'John Smith', /no spaces/],
    ['a post link', 'https://www.instagram.com/p/C0abc123/', /not to a profile/],
    ['a search link', 'https://x.com/search?q=refund', /not to a profile/],
    ['a site we do not know', 'https://example.com/john', /social network/],
    ['a platform with no profile', 'facebook.com', /not to a profile/],
    ['a bad WhatsApp number', 'https://wa.me/123', /WhatsApp/],
    ['symbols', '@@!!', /social media name/],
  ])('rejects %s', (_label, raw, reason) => {
    expect(rejected(normaliseSocialHandle(raw))).toMatch(reason);
  });

  it('gives one value for any letter case, @ or link form, and is idempotent', () => {
    // Paths such as /p/ and /reel/ are posts, not profiles.
    const reserved = ['p', 'tv', 'reel', 'reels', 'explore', 'stories'];
    const handle = fc.stringMatching(/^[a-z][a-z0-9._]{0,20}$/).filter((h) => !reserved.includes(h));
    const form = fc.constantFrom(
      (h: string) => `https://www.instagram.com/${h}/`,
      (h: string) => `instagram.com/${h}`,
      (h: string) => `INSTAGRAM.COM/${h}?igsh=abc`,
      (h: string) => `instagram:@${h}`,
    );
    fc.assert(
      fc.property(handle, form, fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), (h, f, flags) => {
        const recased = [...h].map((c, i) => (flags[i % flags.length] ? c.toUpperCase() : c)).join('');
        const value = accepted(normaliseSocialHandle(f(recased))).value;
        expect(value).toBe(`instagram:${h}`);
        expect(accepted(normaliseSocialHandle(value)).value).toBe(value);
        expect(accepted(normaliseSocialHandle(`@${recased}`)).value).toBe(`unknown:${h}`);
      }),
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (raw) =>
        expectWellFormed(normaliseSocialHandle(raw)),
      ),
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^(https?:\/\/)?(t\.me|wa\.me|x\.com|facebook\.com)\/[a-z0-9@+?=&./%-]{0,20}$/),
        (raw) => expectWellFormed(normaliseSocialHandle(raw)),
      ),
    );
  });
});
