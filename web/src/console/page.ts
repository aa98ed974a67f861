/**
 * The agency console's one HTML page (`/staff/`), rendered at build time. Its screens are drawn
 * by the console script (web/src/entries/console.ts) into `#console`; the public pages never
 * load that script (test/e2e/console.test.ts checks).
 */
import { contentSecurityPolicy } from '../site/csp.ts';
import { html } from '../site/html.ts';

export const CONSOLE_FILE = 'staff/index.html';

export function renderConsolePage(options: { entry: string; connectOrigins?: readonly string[] }): string {
  const csp = contentSecurityPolicy({ connectOrigins: options.connectOrigins });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>Agency console | Restore</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script type="module" src="${options.entry}"></script>
</head>
<body data-page="console">
<a class="usa-skipnav" href="#main-content">Skip to main content</a>
<header class="console-header">
  <div class="console-header__inner">
    <a class="console-title" href="#/queue">Restore <span>agency console</span></a>
    <div class="console-user" id="console-user" aria-live="polite"></div>
  </div>
  <nav class="console-nav" aria-label="Console">
    <ul class="console-nav__list" id="console-nav"></ul>
  </nav>
</header>
<main id="main-content" tabindex="-1">
  <div id="console" class="console-main"><p>Loading…</p></div>
</main>
<noscript><p>The console needs JavaScript.</p></noscript>
</body>
</html>
`.value;
}
