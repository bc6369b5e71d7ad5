import { escapeHtml, escapeLine } from '../class-report/html-text.ts';
import type { Status } from '../core/result.ts';

// The frame of every page: no inline script or style (the Content-Security-Policy forbids both),
// one style sheet and one script, both served by the course server itself.

export const ASSETS = { css: '/assets/board.css', js: '/assets/board.js' } as const;

export function pageShell(options: { title: string; heading: string; nav?: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeLine(options.title)}</title>
<link rel="stylesheet" href="${ASSETS.css}">
<script src="${ASSETS.js}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><h1>${escapeLine(options.heading)}</h1>${options.nav ? `<nav aria-label="Pages">${options.nav}</nav>` : ''}</header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>
`;
}

/** A status as symbol and word, never colour alone: ✓ pass, ✗ fail, ! error (not graded). */
export const STATUS_SIGNS: Record<Status, { symbol: string; word: string }> = {
  pass: { symbol: '✓', word: 'pass' },
  fail: { symbol: '✗', word: 'fail' },
  error: { symbol: '!', word: 'not graded' },
};

/** `<span class="st fail">✗ fail</span>`; `compact` shows the symbol and keeps the word for screen readers. */
export function statusBadge(status: Status, options: { compact?: boolean; title?: string } = {}): string {
  const sign = STATUS_SIGNS[status];
  const title = options.title ? ` title="${escapeLine(options.title)}"` : '';
  const word = options.compact ? `<span class="sr">${sign.word}</span>` : ` ${sign.word}`;
  return `<span class="st ${status}"${title}><span aria-hidden="true">${sign.symbol}</span>${word}</span>`;
}

/** A UTC ISO time as a <time> element (UTC, minutes). */
export function timeTag(iso: string | undefined): string {
  if (!iso || !Number.isFinite(Date.parse(iso))) return '';
  const utc = new Date(iso).toISOString();
  return `<time datetime="${escapeHtml(utc)}">${escapeHtml(utc.slice(0, 16).replace('T', ' '))} UTC</time>`;
}

/** A path segment for a lab name, escaped for an attribute. */
export function labHref(base: string, lab: string): string {
  return escapeHtml(`${base}/${encodeURIComponent(lab)}`);
}

/** The CSRF field of a state-changing form. */
export function csrfField(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}
