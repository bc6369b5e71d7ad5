// `npx tsx scripts/unused-exports.ts [--repo DIR] [FOLDER...]`: the exports no other file uses (product and
// tests alike), from the TypeScript checker: each identifier of every file of tsconfig.json (and
// the .mjs files beside them) is resolved to the declaration it names. An export used only in its
// own file needs no `export` ("local"); one used nowhere is dead code ("dead"). Prints
// `kind file:line name`, for the folders given or the whole tree (this repository's, or DIR's).
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values, positionals } = parseArgs({ options: { repo: { type: 'string' } }, allowPositionals: true });
const REPO = values.repo ? resolve(values.repo) : join(dirname(fileURLToPath(import.meta.url)), '..');
const config = ts.getParsedCommandLineOfConfigFile(join(REPO, 'tsconfig.json'), { allowJs: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
if (!config) throw new Error('tsconfig.json cannot be read');
const scripts = ts.sys.readDirectory(REPO, ['.mjs'], ['node_modules', 'dist'], ['**/*.mjs']);
const program = ts.createProgram([...config.fileNames, ...scripts], { ...config.options, allowJs: true, checkJs: false });
const checker = program.getTypeChecker();
const ours = program.getSourceFiles().filter((f) => !f.fileName.includes('/node_modules/') && f.fileName.startsWith(REPO));

// Who uses each declaration: the files whose identifiers resolve to it.
const usedIn = new Map<ts.Declaration, Set<ts.SourceFile>>();
for (const file of ours) {
  const visit = (node: ts.Node): void => {
    // `const { name } = await import('./x.ts')`: the property named is the export used.
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const key = node.propertyName ?? node.name;
      const property = ts.isIdentifier(key) ? checker.getTypeAtLocation(node.parent).getProperty(key.text) : undefined;
      for (const declaration of property?.declarations ?? []) use(declaration, file);
    }
    if (ts.isIdentifier(node)) {
      // An import names every link of its chain of re-exports, each a use of the one before.
      for (let symbol = checker.getSymbolAtLocation(node), links = 0; symbol && links < 20; links++) {
        for (const declaration of symbol.declarations ?? []) {
          if (declaration.getSourceFile() !== file || !isOwnName(node, declaration)) use(declaration, file);
        }
        symbol = symbol.flags & ts.SymbolFlags.Alias ? nextLink(symbol) : undefined;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

// The symbol an alias names directly; for the aliases the checker cannot follow one link at a time
// (a default import of a CommonJS module), the one it names in the end.
function nextLink(alias: ts.Symbol): ts.Symbol | undefined {
  try {
    return checker.getImmediateAliasedSymbol(alias);
  } catch {
    const target = checker.getAliasedSymbol(alias);
    return target.flags & ts.SymbolFlags.Alias ? undefined : target;
  }
}

function use(declaration: ts.Declaration, file: ts.SourceFile): void {
  let files = usedIn.get(declaration);
  if (!files) usedIn.set(declaration, (files = new Set()));
  files.add(file);
}

// The identifier that names a declaration is not a use of it.
function isOwnName(node: ts.Identifier, declaration: ts.Declaration): boolean {
  return (declaration as ts.NamedDeclaration).name === node;
}

const folders = positionals.map((f) => join(REPO, f));
for (const file of ours) {
  if (folders.length > 0 && !folders.some((f) => file.fileName.startsWith(f))) continue;
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const declarations = (exported.declarations ?? []).filter((d) => d.getSourceFile() === file);
    if (declarations.length === 0) continue; // re-exported from elsewhere
    const users = new Set(declarations.flatMap((d) => [...(usedIn.get(d) ?? [])]));
    const elsewhere = [...users].some((u) => u !== file);
    if (elsewhere) continue;
    const { line } = file.getLineAndCharacterOfPosition(declarations[0]!.getStart());
    process.stdout.write(`${users.has(file) ? 'local' : 'dead'} ${relative(REPO, file.fileName)}:${line + 1} ${exported.name}\n`);
  }
}
