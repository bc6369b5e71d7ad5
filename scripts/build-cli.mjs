// `npm run build`: the grader's CLI (grader/cli.ts) bundled by esbuild into dist/grader-cli.mjs, the
// file `npm run grade` (bin/grade.mjs) runs. Plain JavaScript, so that it needs no tsx. The launcher
// imports this module at every start for `sourceStamp()` and `bundleStamp()`: esbuild itself is
// loaded only when `buildCli()` runs.
//
// Freshness: the bundle's first line carries a stamp of the sources it was built from (path, size
// and mtime of every file under grader/, of package.json, package-lock.json, tsconfig.json and of
// this file). The bundle is fresh when that stamp equals the sources' stamp now: an edit, a touch,
// a checkout, a file added or removed all change it, a file restored with an older mtime too.
import { createHash } from 'node:crypto';
import { chownSync, closeSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const ENTRY = join(REPO, 'grader', 'cli.ts');
// Inside the repository, so that what the bundle leaves out (ssh2's optional native modules)
// resolves from node_modules.
const DIST = join(REPO, 'dist');
export const BUNDLE = join(DIST, 'grader-cli.mjs');

/** Every source of the bundle lies under these directories (checked at each build). */
const SOURCE_DIRS = ['grader'];
/** And these files shape it too. */
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build-cli.mjs', 'scripts/precompiled-validators.ts'];
// The module whose place the validators ajv compiles at build time take in the bundle.
const PRECOMPILED_MODULE = join(REPO, 'grader', 'config', 'precompiled-validators.ts');
const PRECOMPILER = join(REPO, 'scripts', 'precompiled-validators.ts');
const STAMP_PREFIX = '// router-lab-grader build ';
// The dependencies are bundled too (node then reads and compiles one file instead of a few hundred
// CommonJS modules: half the start-up). What CommonJS code expects of its module scope, the bundle
// being ESM: \`require\` for the optional native modules ssh2 tries (left out, as esbuild cannot
// bundle them), \`__dirname\` and \`__filename\`.
const COMMONJS_SCOPE = [
  "import { createRequire as __rlgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __rlgFileURLToPath } from 'node:url';",
  "import { dirname as __rlgDirname } from 'node:path';",
  'const require = __rlgCreateRequire(import.meta.url);',
  'const __filename = __rlgFileURLToPath(import.meta.url);',
  'const __dirname = __rlgDirname(__filename);',
].join('\n');
const NOT_BUNDLED = ['cpu-features', '*.node'];

function walk(dir, into) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else into.push(path);
  }
}

/** The stamp of the sources as they are now (a hash of every source's path, size and mtime). */
export function sourceStamp() {
  const files = [];
  for (const dir of SOURCE_DIRS) walk(join(REPO, dir), files);
  for (const file of SOURCE_FILES) files.push(join(REPO, file));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    let line;
    try {
      const s = statSync(file);
      line = `${relative(REPO, file)}\0${s.size}\0${s.mtimeMs}\n`;
    } catch {
      line = `${relative(REPO, file)}\0missing\n`;
    }
    hash.update(line);
  }
  return hash.digest('hex').slice(0, 32);
}

/** The stamp the bundle was built with, or undefined when there is no bundle (or an unstamped one). */
export function bundleStamp(path = BUNDLE) {
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(STAMP_PREFIX.length + 64);
    const n = readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, n).toString('utf8').split('\n')[0];
    return line.startsWith(STAMP_PREFIX) ? line.slice(STAMP_PREFIX.length) : undefined;
  } finally {
    closeSync(fd);
  }
}

function outsideSources(input) {
  if (input.startsWith('node_modules/') || input.includes('/node_modules/') || input.startsWith('<')) return false;
  const path = relative(REPO, join(REPO, input));
  return !SOURCE_DIRS.some((dir) => path.startsWith(`${dir}/`)) && !SOURCE_FILES.includes(path);
}

// The source of the precompiled validators: scripts/precompiled-validators.ts bundled (its
// dependencies left to node_modules), run once from a temporary file in dist/, and removed.
async function precompiledValidators(build) {
  const result = await build({ entryPoints: [PRECOMPILER], absWorkingDir: REPO, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', write: false, logLevel: 'silent' });
  mkdirSync(DIST, { recursive: true });
  const temp = join(DIST, `.precompile.${process.pid}.${Math.random().toString(36).slice(2)}.mjs`);
  try {
    writeFileSync(temp, result.outputFiles[0].contents);
    return (await import(pathToFileURL(temp).href)).precompiledValidatorsSource();
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Bundles grader/cli.ts into dist/grader-cli.mjs, with the schemas' validators compiled now.
 * The stamp is taken before esbuild reads the sources, so an edit made during the build makes the
 * bundle stale at the next start. Written to a temporary file in dist/ and renamed over the
 * bundle: graders started at once may all build, and none ever imports a half-written file.
 */
export async function buildCli() {
  const stamp = sourceStamp();
  const { build } = await import('esbuild');
  const validators = await precompiledValidators(build);
  const precompiled = {
    name: 'precompiled-validators',
    setup(on) {
      on.onLoad({ filter: /[\\/]precompiled-validators\.ts$/ }, (args) =>
        args.path === PRECOMPILED_MODULE ? { contents: validators, loader: 'js', resolveDir: dirname(PRECOMPILED_MODULE) } : undefined,
      );
    },
  };
  const result = await build({
    entryPoints: [ENTRY],
    absWorkingDir: REPO,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: NOT_BUNDLED,
    banner: { js: `${STAMP_PREFIX}${stamp}\n${COMMONJS_SCOPE}` },
    write: false,
    metafile: true,
    plugins: [precompiled],
    outfile: BUNDLE,
    logLevel: 'silent',
  });
  const strays = Object.keys(result.metafile.inputs).filter(outsideSources);
  if (strays.length > 0) {
    throw new Error(`${strays.join(', ')} would be bundled but lies outside what the launcher watches (SOURCE_DIRS in scripts/build-cli.mjs)`);
  }
  const [output] = result.outputFiles;
  const created = mkdirSync(DIST, { recursive: true });
  // Built first by root (`sudo npm run demo` before any `npm ci` build): dist/ goes to the checkout's
  // owner, whose own runs must be able to rebuild in it.
  const owner = statSync(REPO);
  if (created && process.getuid?.() === 0 && owner.uid !== 0) chownSync(DIST, owner.uid, owner.gid);
  const temp = join(DIST, `.grader-cli.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(temp, output.contents);
    renameSync(temp, BUNDLE);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { bundle: BUNDLE, stamp };
}

/** One line about a failed build (or load), for the launcher's notes and `npm run build`. */
export function describeBuildError(error) {
  const first = error?.errors?.[0];
  if (first) {
    const where = first.location ? `${first.location.file}:${first.location.line}: ` : '';
    return `${where}${first.text}`;
  }
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && /'esbuild'/.test(error.message)) return 'esbuild is not installed';
  // `Build failed with 1 error:` and the like say more on the next line.
  const lines = String(error?.message ?? error).split('\n').filter((line) => line.trim());
  return (/ with \d+ errors?:$/.test(lines[0] ?? '') && lines[1] ? lines[1].trim() : lines[0]) ?? 'unknown error';
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    await buildCli();
    process.stdout.write(`built ${relative(process.cwd(), BUNDLE) || BUNDLE}\n`);
  } catch (error) {
    const reason = describeBuildError(error);
    // `npm ci --omit=dev` installs no esbuild: the launcher then runs the TypeScript through tsx
    // (or says why it cannot), so the install itself need not fail.
    if (process.env.npm_lifecycle_event === 'prepare' && reason === 'esbuild is not installed') {
      process.stderr.write(`router-lab-grader: ${reason}, dist/grader-cli.mjs not built\n`);
    } else {
      process.stderr.write(`router-lab-grader: build failed: ${reason}\n`);
      process.exitCode = 1;
    }
  }
}
