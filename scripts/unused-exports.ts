// `npx tsx scripts/unused-exports.ts [FOLDER...]`: the exports no other file uses (product and
// tests alike), from the TypeScript checker: each identifier of every file of tsconfig.json (and
// the .mjs files beside them) is resolved to the declaration it names. An export used only in its
// own file needs no `export` ("local"); one used nowhere is dead code ("dead"). Prints
// `kind file:line name`, for the folders given or the whole tree.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
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
      let symbol = checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      for (const declaration of symbol?.declarations ?? []) {
        if (declaration.getSourceFile() !== file || !isOwnName(node, declaration)) use(declaration, file);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
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

const folders = process.argv.slice(2).map((f) => join(REPO, f));
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
