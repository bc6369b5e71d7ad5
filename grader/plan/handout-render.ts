import { escapeHtml } from '../class-report/html-text.ts';
import type { Handout, HandoutBlock } from './handout.ts';

// A handout as Markdown (to mail or put in the LMS) and as a printable HTML page.

function markdownBlock(block: HandoutBlock): string {
  return 'code' in block ? `\`\`\`${block.language}\n${block.code}\n\`\`\`` : block.text;
}

export function handoutMarkdown(handout: Handout): string {
  const parts = [`# ${handout.title}`, `For: ${handout.student}`];
  for (const section of handout.sections) parts.push(`## ${section.title}`, ...section.blocks.map(markdownBlock));
  return `${parts.join('\n\n')}\n`;
}

// `code` spans of the Markdown text, as <code> in HTML (after escaping, so nothing else is markup).
const inlineCode = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function htmlBlock(block: HandoutBlock): string {
  return 'code' in block ? `<pre><code>${escapeHtml(block.code)}</code></pre>` : `<p>${inlineCode(block.text)}</p>`;
}

const STYLE = 'body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}pre{background:#f4f4f4;padding:.6rem;overflow-x:auto;border:1px solid #ccc}code{font:13px ui-monospace,monospace}@media print{pre{white-space:pre-wrap;break-inside:avoid}body{margin:0}}';

/** The handout's sections as HTML, headed from level `level` (for a page of its own or inside another). */
export function handoutSectionsHtml(handout: Handout, level = 2): string {
  return handout.sections.flatMap((section) => [`<h${level}>${escapeHtml(section.title)}</h${level}>`, ...section.blocks.map(htmlBlock)]).join('\n');
}

export function handoutHtml(handout: Handout): string {
  const body = [`<h1>${escapeHtml(handout.title)}</h1>`, `<p>For: ${escapeHtml(handout.student)}</p>`, handoutSectionsHtml(handout)];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(handout.title)}</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
