// The board benchmark's section of docs/BENCHMARKS.md (bench/board.ts writes it), kept when
// `npm run bench` rewrites the rest of the file.
export const BOARD_BEGIN = '<!-- board benchmark: npm run bench:board -->';
export const BOARD_END = '<!-- end of the board benchmark -->';

const SECTION = new RegExp(`\\n*${BOARD_BEGIN}[\\s\\S]*?${BOARD_END}\\n?`);

/** `doc` with the board section replaced by `section` (or appended). */
export function replaceBoardSection(doc: string, section: string): string {
  const block = `${section.trimEnd()}\n${BOARD_END}\n`;
  return SECTION.test(doc) ? doc.replace(SECTION, `\n\n${block}`) : `${doc.trimEnd()}\n\n${block}`;
}

/** The board section of an old document carried into a newly rendered one. */
export function keepBoardSection(old: string | undefined, fresh: string): string {
  const kept = old ? SECTION.exec(old)?.[0] : undefined;
  return kept ? `${fresh.trimEnd()}\n\n${kept.trim()}\n` : fresh;
}
