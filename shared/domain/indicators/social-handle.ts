import { normalisePhone } from './phone.ts';
import { cleanInput, fail, ok } from './text.ts';
import type { NormaliseResult } from './types.ts';

export const socialPlatforms = [
  'facebook',
  'instagram',
  'x',
  'telegram',
  'tiktok',
  'whatsapp',
  'snapchat',
  'linkedin',
  'youtube',
  'threads',
  'reddit',
  'pinterest',
  'unknown',
] as const;
export type SocialPlatform = (typeof socialPlatforms)[number];

const PLATFORM_LABELS: Readonly<Record<SocialPlatform, string>> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X (Twitter)',
  telegram: 'Telegram',
  tiktok: 'TikTok',
  whatsapp: 'WhatsApp',
  snapchat: 'Snapchat',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  threads: 'Threads',
  reddit: 'Reddit',
  pinterest: 'Pinterest',
  unknown: 'Social media',
};

/** Hosts (without `www.`, `m.`, `mobile.`, `web.`) and names people type before a handle. */
const HOSTS = new Map<string, SocialPlatform>([
  ['facebook.com', 'facebook'],
  ['fb.com', 'facebook'],
  ['fb.me', 'facebook'],
  ['m.me', 'facebook'],
  ['messenger.com', 'facebook'],
  ['instagram.com', 'instagram'],
  ['instagr.am', 'instagram'],
  ['x.com', 'x'],
  ['twitter.com', 'x'],
  ['t.me', 'telegram'],
  ['telegram.me', 'telegram'],
  ['telegram.dog', 'telegram'],
  ['tiktok.com', 'tiktok'],
  ['wa.me', 'whatsapp'],
  ['whatsapp.com', 'whatsapp'],
  ['api.whatsapp.com', 'whatsapp'],
  ['chat.whatsapp.com', 'whatsapp'],
  ['snapchat.com', 'snapchat'],
  ['linkedin.com', 'linkedin'],
  ['youtube.com', 'youtube'],
  ['threads.net', 'threads'],
  ['threads.com', 'threads'],
  ['reddit.com', 'reddit'],
  ['pinterest.com', 'pinterest'],
]);
const NAMES = new Map<string, SocialPlatform>([
  ...socialPlatforms.map((platform) => [platform, platform] as const),
  ['fb', 'facebook'],
  ['messenger', 'facebook'],
  ['ig', 'instagram'],
  ['insta', 'instagram'],
  ['twitter', 'x'],
  ['tg', 'telegram'],
  ['wa', 'whatsapp'],
  ['snap', 'snapchat'],
  ['yt', 'youtube'],
]);

const HANDLE = /^[\p{L}\p{N}._\-+/]{1,100}$/u;
const NOT_A_PROFILE =
  'This link is to a post or page, not to a profile. Open the profile and copy its link, or enter the @name.';

type Extracted = { handle: string } | { phone: string } | { reason: string } | undefined;

/** The handle in a profile link's path, per platform; undefined when the link names no profile. */
const fromPath = (
  platform: SocialPlatform,
  segments: readonly string[],
  query: URLSearchParams,
): Extracted => {
  const [first = '', second = ''] = segments;
  const last = segments.at(-1) ?? '';
  if (segments.length === 0 && platform !== 'whatsapp') return undefined;
  switch (platform) {
    case 'facebook':
      if (first === 'profile.php') return query.get('id') ? { handle: query.get('id') ?? '' } : undefined;
      if (first === 'people' || first === 'pages') return /^\d+$/.test(last) ? { handle: last } : undefined;
      if (first === 'groups') return second ? { handle: `groups/${second}` } : undefined;
      return ['share', 'watch', 'events', 'marketplace', 'photo.php', 'story.php', 'permalink.php'].includes(
        first,
      )
        ? undefined
        : { handle: first };
    case 'instagram':
      if (first === 'stories') return second ? { handle: second } : undefined;
      return ['p', 'reel', 'reels', 'explore', 'tv'].includes(first) ? undefined : { handle: first };
    case 'x':
      return ['i', 'intent', 'home', 'search', 'hashtag', 'share'].includes(first)
        ? undefined
        : { handle: first };
    case 'telegram': {
      const name = first === 's' ? second : first === 'joinchat' ? `+${second}` : first;
      if (/^\+\d{7,15}$/.test(name)) return { phone: name };
      return name && name !== '+' ? { handle: name } : undefined;
    }
    case 'tiktok':
      return first.startsWith('@') ? { handle: first.slice(1) } : undefined;
    case 'whatsapp': {
      const digits = (first === 'send' || first === '' ? (query.get('phone') ?? '') : first).replace(
        /\D/g,
        '',
      );
      if (digits) return { phone: `+${digits}` };
      return undefined;
    }
    case 'snapchat':
      return first === 'add'
        ? second
          ? { handle: second }
          : undefined
        : first
          ? { handle: first }
          : undefined;
    case 'linkedin':
      if (first === 'in') return second ? { handle: second } : undefined;
      return first === 'company' && second ? { handle: `company/${second}` } : undefined;
    case 'youtube':
      if (first.startsWith('@')) return { handle: first.slice(1) };
      if (first === 'c' || first === 'user') return second ? { handle: second } : undefined;
      return first === 'channel' && second ? { handle: `channel/${second}` } : undefined;
    case 'threads':
      return first.startsWith('@') ? { handle: first.slice(1) } : undefined;
    case 'reddit':
      return (first === 'u' || first === 'user') && second ? { handle: second } : undefined;
    default:
      return first ? { handle: first } : undefined;
  }
};

const fromLink = (text: string): { platform: SocialPlatform; extracted: Extracted } | { reason: string } => {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { reason: 'This link does not look right. Copy it again from the profile page.' };
  }
  const host = url.hostname.replace(/^(?:www|m|mobile|web)\./, '');
  const platform = HOSTS.get(host);
  if (!platform) {
    return {
      reason:
        'We do not recognise this site as a social network. Enter it as a website instead, or give the @name.',
    };
  }
  if (host === 'chat.whatsapp.com') {
    const code = url.pathname.split('/').filter(Boolean)[0];
    return { platform, extracted: code ? { handle: `group/${code}` } : undefined };
  }
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return { platform, extracted: fromPath(platform, segments, url.searchParams) };
};

/**
 * A social-media account as `<platform>:<handle>` (lower-case), from `@name` or a profile link
 * (facebook.com/some.user, instagram.com/x, x.com or twitter.com/x, t.me/x, tiktok.com/@x, …).
 * A bare handle gets platform `unknown`. WhatsApp links (wa.me/1202…) name a phone number, so they
 * come back as a `phone` indicator, linking with reports that gave the number.
 */
export const normaliseSocialHandle = (raw: string): NormaliseResult => {
  const text = cleanInput(raw, 2048);
  if (text === undefined) return fail('This is too long to be a social media name or link.');
  if (text === '') return fail('Enter the @name or paste the link to the profile.');

  let platform: SocialPlatform = 'unknown';
  let extracted: Extracted;
  const prefixed = /^([a-z]+)\s*:\s*(.+)$/i.exec(text);
  const named = prefixed ? NAMES.get((prefixed[1] ?? '').toLowerCase()) : undefined;
  if (named && prefixed?.[2] && !prefixed[2].startsWith('//')) {
    platform = named;
    const rest = prefixed[2].trim();
    extracted =
      platform === 'whatsapp' && /^\+?[\d\s\-().]+$/.test(rest) ? { phone: rest } : { handle: rest };
  } else if (text.includes('/') || HOSTS.has(text.toLowerCase().replace(/^(?:www|m|mobile|web)\./, ''))) {
    const link = fromLink(text);
    if ('reason' in link) return fail(link.reason);
    platform = link.platform;
    extracted = link.extracted;
  } else {
    extracted = { handle: text };
  }

  if (extracted === undefined) return fail(NOT_A_PROFILE);
  if ('reason' in extracted) return fail(extracted.reason);
  if ('phone' in extracted) {
    // Links carry full international numbers (+ added above); a typed `whatsapp: 202…` may be national.
    const phone = normalisePhone(extracted.phone);
    return phone.ok ? phone : fail('This WhatsApp link does not hold a valid phone number. Copy it again.');
  }
  const handle = extracted.handle.replace(/^@/, '').toLowerCase();
  if (/\s/.test(handle)) {
    return fail('A social media name has no spaces. Enter the @name or paste the link to the profile.');
  }
  if (!HANDLE.test(handle)) {
    return fail(
      'This does not look like a social media name. Enter the @name or paste the link to the profile.',
    );
  }
  return ok('social-handle', `${platform}:${handle}`, `${PLATFORM_LABELS[platform]} @${handle}`);
};
