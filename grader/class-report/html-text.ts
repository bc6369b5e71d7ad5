import { sanitizeLine, sanitizeText } from '../report/sanitize.ts';

// Text made safe for HTML content and attribute values (double- or single-quoted): control
// characters and escape sequences dropped, then & < > " ' escaped.
export function escapeHtml(text: string): string {
  return sanitizeText(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// escapeHtml on one line: whitespace runs, line breaks included, become one space.
export function escapeLine(text: string): string {
  return escapeHtml(sanitizeLine(text));
}
