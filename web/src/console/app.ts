/**
 * The console's shell: sign-in on arrival, the navigation, the hash router, and the "session
 * ended" banner that keeps what was typed (drafts.ts) while staff sign in again.
 */
import { whenSessionEnds } from './api.ts';
import { dashboardScreen } from './dashboard.ts';
import { distributionScreen } from './distributions.ts';
import { saveDraft } from './drafts.ts';
import {
  auditScreen,
  claimScreen,
  helplineReportScreen,
  helplineScreen,
  indicatorScreen,
  matchesScreen,
  programmeScreen,
  programmesScreen,
  queueScreen,
  type Route,
  reportScreen,
  reportSearchScreen,
  signedInAs,
} from './screens.ts';
import { completeSignIn, currentToken, isAdmin, signIn } from './session.ts';
import { sharingScreen } from './sharing.ts';
import { alertBox, button, h, show } from './ui.ts';

const NAV: readonly { hash: string; label: string; admin?: boolean }[] = [
  { hash: '#/queue', label: 'Claim queue' },
  { hash: '#/reports', label: 'Reports' },
  { hash: '#/programmes', label: 'Programmes' },
  { hash: '#/helpline', label: 'Helpline' },
  { hash: '#/dashboard', label: 'Dashboard' },
  { hash: '#/audit', label: 'Audit trail', admin: true },
  { hash: '#/sharing', label: 'Sharing export', admin: true },
];

function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return {
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(query),
    hash: hash || '#/queue',
  };
}

function drawNav(): void {
  const nav = document.getElementById('console-nav');
  const current = location.hash.split('/')[1] ?? 'queue';
  nav?.replaceChildren(
    ...NAV.filter((n) => !n.admin || isAdmin()).map((n) =>
      h(
        'li',
        null,
        h(
          'a',
          {
            class: 'console-nav__link',
            href: n.hash,
            ...(n.hash.slice(2) === current ? { 'aria-current': 'page' } : {}),
          },
          n.label,
        ),
      ),
    ),
  );
  document.getElementById('console-user')?.replaceChildren(signedInAs());
}

let sessionBanner: HTMLElement | undefined;

/** The session ended mid-work: keep the form, offer to sign in again, come back here. */
function sessionEnded(): void {
  if (sessionBanner?.isConnected) return;
  const root = document.getElementById('console');
  if (!root) return;
  // A caller's answers on the helpline are kept nowhere, not even across a sign-in.
  const helpline = location.hash.startsWith('#/helpline');
  sessionBanner = alertBox(
    'warning',
    'Your session has ended',
    helpline
      ? "Sign in again to carry on. The caller's answers on this screen are not kept: they stay on screen until you sign in, and you will need to ask them again."
      : 'Sign in again to carry on. What you typed on this screen is kept and put back after you sign in.',
    button('Sign in again', () => {
      if (!helpline) {
        saveDraft(
          location.hash,
          root.querySelector('form#decision-form') ?? root.querySelector('form:not([role="search"])'),
        );
      }
      void signIn(location.hash);
    }),
  );
  sessionBanner.id = 'session-ended';
  root.prepend(sessionBanner);
  sessionBanner.querySelector('button')?.focus();
}

async function render(): Promise<void> {
  const root = document.getElementById('console');
  if (!root) return;
  drawNav();
  const route = parseRoute(location.hash);
  const [screen, , sub] = route.path;
  root.setAttribute('aria-busy', 'true');
  try {
    if (screen === 'claims' && route.path[1]) await claimScreen(root, route);
    else if (screen === 'reports' && route.path[1]) await reportScreen(root, route);
    else if (screen === 'reports') await reportSearchScreen(root, route);
    else if (screen === 'indicators') await indicatorScreen(root, route);
    else if (screen === 'programmes' && sub === 'matches') await matchesScreen(root, route);
    else if (screen === 'programmes' && sub === 'distributions') await distributionScreen(root, route);
    else if (screen === 'programmes' && route.path[1]) await programmeScreen(root, route);
    else if (screen === 'programmes') await programmesScreen(root);
    else if (screen === 'audit') await auditScreen(root, route);
    else if (screen === 'sharing') await sharingScreen(root, route);
    else if (screen === 'helpline' && route.path[1] === 'report') helplineReportScreen(root);
    else if (screen === 'helpline') helplineScreen(root);
    else if (screen === 'dashboard') await dashboardScreen(root, route.query);
    else await queueScreen(root, route);
  } finally {
    root.removeAttribute('aria-busy');
  }
}

export async function startConsole(): Promise<void> {
  const root = document.getElementById('console');
  if (!root) return;
  whenSessionEnds(sessionEnded);
  try {
    const returnTo = await completeSignIn();
    if (returnTo !== undefined) history.replaceState(null, '', `/staff/${returnTo}`);
  } catch (error) {
    const detail =
      (error as { error_description?: string; error?: string }).error_description ??
      (error as { error?: string }).error;
    show(
      root,
      'Sign-in did not finish',
      alertBox(
        'error',
        'Sign-in did not finish',
        `${error instanceof Error ? error.message : String(error)}${detail ? `: ${detail}` : ''}`,
      ),
      button('Sign in', () => void signIn(location.hash)),
    );
    return;
  }
  if (!currentToken()) {
    show(
      root,
      'Sign in',
      h(
        'p',
        null,
        'The agency console is for staff of the agency running Restore. Sign in with your work account.',
      ),
      button('Sign in', () => void signIn(location.hash || '#/queue')),
    );
    return;
  }
  window.addEventListener('hashchange', () => void render());
  await render();
}
