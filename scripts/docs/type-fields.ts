// The fields of a TypeScript interface as JSON carries them: dotted paths (`results[].evidence[].host`),
// each with its type in words, whether it is optional, and its `/** ... */` comment, read with the
// TypeScript compiler (a devDependency already: `npm run typecheck`).
import ts from 'typescript';

export interface TypeField {
  path: string;
  type: string;
  optional: boolean;
  doc: string;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  skipLibCheck: true,
  types: [],
  // The standard library without the DOM's: the fields' types need no more, and it is read 3x faster.
  lib: ['lib.es2022.d.ts'],
};

/** Every field of the interface `name` exported by `file`, depth first, in declaration order. */
export function fieldsOfInterface(file: string, name: string): TypeField[] {
  const program = ts.createProgram([file], OPTIONS);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const declaration = source?.statements.find((s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name);
  if (!declaration) throw new Error(`${file} declares no ${name}`);
  const fields: TypeField[] = [];
  const walk = (type: ts.Type, prefix: string, depth: number) => {
    if (depth > 8) return;
    for (const property of checker.getPropertiesOfType(type)) {
      const node = property.valueDeclaration ?? property.declarations?.[0];
      if (!node) continue;
      const declared = checker.getTypeOfSymbolAtLocation(property, node);
      const value = checker.getNonNullableType(declared);
      const path = `${prefix}${property.name}`;
      const doc = ts.displayPartsToString(property.getDocumentationComment(checker)) || aliasDoc(value, checker);
      fields.push({ path, type: describe(declared, checker), optional: (property.flags & ts.SymbolFlags.Optional) !== 0, doc: doc.replace(/\s+/g, ' ').trim() });
      let inner = value;
      let innerPath = path;
      while (checker.isArrayType(inner)) {
        inner = checker.getNonNullableType(checker.getTypeArguments(inner as ts.TypeReference)[0]!);
        innerPath = `${innerPath}[]`;
      }
      if (isRecordOfFields(inner, checker)) walk(inner, `${innerPath}.`, depth + 1);
    }
  };
  walk(checker.getTypeAtLocation(declaration.name), '', 0);
  return fields;
}

// The comment of the type alias a field is declared with (`EvidenceScope`), not of the standard
// library's (`Record`).
function aliasDoc(type: ts.Type, checker: ts.TypeChecker): string {
  const alias = type.aliasSymbol;
  if (!alias || alias.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib)) return '';
  return ts.displayPartsToString(alias.getDocumentationComment(checker));
}

// An object with named properties (not a string, an array, or a map of any name to a value).
function isRecordOfFields(type: ts.Type, checker: ts.TypeChecker): boolean {
  return (type.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(type) && checker.getPropertiesOfType(type).length > 0;
}

/**
 * A type in words: `string`, `number or null`, `array of object`, `object (string → number)`,
 * `"pass" | "fail"`. A type met again inside itself (a recursive alias such as a JSON value) is
 * named, not described again.
 */
function describe(type: ts.Type, checker: ts.TypeChecker, within: ReadonlySet<ts.Type> = new Set()): string {
  if (within.has(type)) return 'nested values of the same kind';
  const seen = new Set(within).add(type);
  const inner = (t: ts.Type) => describe(t, checker, seen);
  if (checker.isArrayType(type)) return `array of ${inner(checker.getNonNullableType(checker.getTypeArguments(type as ts.TypeReference)[0]!))}`;
  if (type.isUnion()) {
    // An optional field's `undefined` is said by the required column, not by its type.
    const members = type.types.filter((t) => (t.flags & ts.TypeFlags.Undefined) === 0);
    if (members.every((t) => t.isStringLiteral())) return members.map((t) => `\`${JSON.stringify((t as ts.StringLiteralType).value)}\``).join(', ');
    if (members.every((t) => (t.flags & ts.TypeFlags.BooleanLiteral) !== 0)) return 'boolean';
    const booleans = members.filter((t) => (t.flags & ts.TypeFlags.BooleanLiteral) !== 0);
    const words = [...new Set([...members.filter((t) => !booleans.includes(t)).map(inner), ...(booleans.length > 0 ? ['boolean'] : [])])];
    return [...words.filter((w) => w !== 'null'), ...words.filter((w) => w === 'null')].join(' or ');
  }
  if ((type.flags & ts.TypeFlags.Object) !== 0) {
    const index = checker.getIndexInfosOfType(type)[0];
    if (index && checker.getPropertiesOfType(type).length === 0) return `object (${checker.typeToString(index.keyType)} → ${inner(checker.getNonNullableType(index.type))})`;
    return 'object';
  }
  return checker.typeToString(type);
}
