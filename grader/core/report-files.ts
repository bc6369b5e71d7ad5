// The names of the files a run writes into --out: each lab's `STEM.xml` and `STEM.json`, and the
// class files beside them.

/** The class files (and the folder of --gradescope) in --out. */
export const CLASS_FILES = { junit: 'class.xml', gradebook: 'gradebook.csv', html: 'class.html', gradescope: 'gradescope' } as const;

/** Stems a lab's reports may not have: those of the class files. */
export const CLASS_FILE_STEMS: readonly string[] = [...new Set(Object.values(CLASS_FILES).map((f) => f.replace(/\.[^.]*$/, '')))];

// A lab name made safe as a file name: no separators, no leading dot, never empty.
export function reportFileStem(lab: string): string {
  const stem = lab
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+/, '')
    .replace(/-+$/, '');
  return stem === '' ? 'lab' : stem.slice(0, 100);
}

export interface ReportFileCollision {
  lab: string;
  stem: string;
  /** The earlier lab whose reports it would overwrite. */
  other?: string;
  /** Only where file names ignore case (macOS, Windows, many shares). */
  caseOnly?: boolean;
  /** Its reports would take a class file's name. */
  classFile?: boolean;
}

// Labs (in inventory order) whose report files would overwrite an earlier lab's or take a class
// file's name, comparing as a case-insensitive file system does: the class may be copied to one.
export function reportFileCollisions(labs: readonly string[]): ReportFileCollision[] {
  const byStem = new Map<string, { lab: string; stem: string }>();
  const collisions: ReportFileCollision[] = [];
  for (const lab of labs) {
    const stem = reportFileStem(lab);
    const key = stem.toLowerCase();
    const first = byStem.get(key);
    if (first) collisions.push({ lab, stem, other: first.lab, ...(first.stem !== stem ? { caseOnly: true } : {}) });
    else if (CLASS_FILE_STEMS.includes(key)) collisions.push({ lab, stem, classFile: true });
    else byStem.set(key, { lab, stem });
  }
  return collisions;
}
