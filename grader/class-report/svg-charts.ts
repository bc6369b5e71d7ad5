import type { HistogramBin } from './class-stats.ts';
import { escapeLine } from './html-text.ts';

// Inline SVG for the class page: no script, no external reference; colours come from the page's
// CSS classes (pass, fail, error, bar).

export interface Segment {
  value: number;
  /** CSS class: pass, fail, error. */
  kind: string;
  /** Tooltip. */
  title: string;
}

const fixed = (n: number): string => String(Math.round(n * 10) / 10);

// A horizontal bar split into segments proportional to their values.
export function stackedBar(segments: Segment[], width: number, height: number): string {
  const total = segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  const title = segments.map((s) => s.title).join(', ');
  let x = 0;
  const rects = segments
    .filter((s) => s.value > 0 && total > 0)
    .map((s) => {
      const w = (width * s.value) / total;
      const rect = `<rect class="${s.kind}" x="${fixed(x)}" y="0" width="${fixed(w)}" height="${height}"><title>${escapeLine(s.title)}</title></rect>`;
      x += w;
      return rect;
    });
  return `<svg class="bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeLine(title)}"><rect class="track" width="${width}" height="${height}" rx="3"/>${rects.join('')}</svg>`;
}

// One bar, `fraction` of the width long.
export function valueBar(fraction: number, kind: string, width: number, height: number, title: string): string {
  const w = Math.max(fraction > 0 ? 2 : 0, Math.min(1, Math.max(0, fraction)) * width);
  return `<svg class="bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeLine(title)}"><rect class="track" width="${width}" height="${height}" rx="3"/><rect class="${kind}" width="${fixed(w)}" height="${height}" rx="3"><title>${escapeLine(title)}</title></rect></svg>`;
}

// Vertical bars, one per bin, the count above each and the bin's range below.
export function histogram(bins: HistogramBin[], width: number, height: number): string {
  const left = 34;
  const bottom = 38;
  const top = 18;
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const highest = Math.max(1, ...bins.map((b) => b.count));
  const every = highest <= 6 ? 1 : Math.ceil(highest / 5);
  const max = Math.ceil(highest / every) * every;
  const step = plotWidth / Math.max(1, bins.length);
  const ticks = Array.from({ length: max / every + 1 }, (_, i) => i * every);
  const grid = ticks
    .map((tick) => {
      const y = fixed(top + plotHeight - (plotHeight * tick) / max);
      return `<line class="grid" x1="${left}" x2="${left + plotWidth}" y1="${y}" y2="${y}"/><text class="tick" x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick}</text>`;
    })
    .join('');
  const bars = bins
    .map((bin, i) => {
      const h = (plotHeight * bin.count) / max;
      const x = left + i * step + 4;
      const y = top + plotHeight - h;
      const label = `${bin.from}–${bin.to}`;
      const count = bin.count > 0 ? `<text class="count" x="${fixed(x + (step - 8) / 2)}" y="${fixed(y - 4)}" text-anchor="middle">${bin.count}</text>` : '';
      return (
        `<rect class="hist" x="${fixed(x)}" y="${fixed(y)}" width="${fixed(step - 8)}" height="${fixed(h)}"><title>${bin.count} ${bin.count === 1 ? 'lab' : 'labs'} at ${label}%</title></rect>${count}` +
        `<text class="tick" x="${fixed(x + (step - 8) / 2)}" y="${top + plotHeight + 14}" text-anchor="middle">${label}</text>`
      );
    })
    .join('');
  const axis = `<line class="axis" x1="${left}" x2="${left + plotWidth}" y1="${top + plotHeight}" y2="${top + plotHeight}"/>`;
  const caption = `<text class="tick" x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle">score, % of the maximum</text>`;
  const summary = bins.map((b) => `${b.from}–${b.to}%: ${b.count}`).join(', ');
  return `<svg class="histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Labs per score range: ${summary}">${grid}${bars}${axis}${caption}</svg>`;
}
