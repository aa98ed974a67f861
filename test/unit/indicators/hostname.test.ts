import { describe, expect, it } from 'vitest';
import { checkHostname } from '#shared/domain/indicators/hostname.ts';

// The registrable domain (the site a person controls) is what links reports; private suffixes
// count, so two GitHub Pages sites are two sites, not one `github.io`.
describe('checkHostname', () => {
  it.each([
    ['evil.co.uk', 'evil.co.uk'],
    ['www.login.evil.co.uk', 'evil.co.uk'],
    ['scam.github.io', 'scam.github.io'],
    ['a.b.kawasaki.jp', 'a.b.kawasaki.jp'],
    ['www.city.kawasaki.jp', 'city.kawasaki.jp'],
    ['evil.com', 'evil.com'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['x.blogspot.com', 'x.blogspot.com'],
  ])('%s is the site %s', (hostname, registrable) => {
    expect(checkHostname(hostname)).toEqual({ ok: true, hostname, registrable });
  });

  it.each([
    ['github.io', 'suffix-only'],
    ['co.uk', 'suffix-only'],
    ['evil.notatld', 'unknown-suffix'],
    ['localhost', 'malformed'],
    ['bad..example.com', 'malformed'],
    ['-bad.example.com', 'malformed'],
  ])('%s is refused as %s', (hostname, problem) => {
    expect(checkHostname(hostname)).toEqual({ ok: false, problem });
  });
});
