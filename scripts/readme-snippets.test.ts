import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { expect, test } from 'vitest';

/**
 * Every TypeScript snippet of every README compiles, under strict settings, against the built
 * packages (what users install): docs and types cannot drift apart. A snippet is a module of its
 * own; what it uses but neither imports nor declares comes from two tables below, so the README
 * can stay short: the packages' exports (imported for it), and the reader's own names (declared
 * for it, such as `Profile` or a server's `rest` client). A name that is in neither is an error.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the snippets "live": module resolution starts here (the react package's node_modules). */
const home = join(root, 'packages', 'react', '.readme-snippets');

/** Modules whose exports a snippet may use without importing them; the first one wins. */
const AUTO_IMPORTED = [
  '@presencekit/react',
  '@presencekit/react/server',
  '@presencekit/react/testing',
  '@presencekit/ably-emulator',
  'react',
  '@ably/chat',
  '@testing-library/react',
];
/** Namespace and single imports. */
const NAMED_IMPORTS: Record<string, string> = {
  Ably: "import * as Ably from 'ably';",
  http: "import * as http from 'node:http';",
  cookies: "import { cookies } from 'next/headers';",
};

/** The reader's own names, as the surrounding text describes them. */
const READER_NAMES: Record<string, string> = {
  Profile: 'type Profile = { name: string; avatar?: string; status?: string };',
  rest: 'declare const rest: Ably.Rest;',
  ably: 'declare const ably: Ably.Rest;',
  realtime: 'declare const realtime: Ably.Realtime;',
  key: 'declare const key: string;',
  room: 'declare const room: string;',
  ROOMS: 'declare const ROOMS: string[];',
  user: 'declare const user: { id: string; name: string };',
  res: 'declare const res: { json(body: unknown): void };',
  events: 'declare const events: PresenceHistoryEvent[];',
  loadMore: 'declare const loadMore: () => Promise<void>;',
  serverNow: 'declare const serverNow: number;',
  rooms: 'declare const rooms: Map<string, OccupancyData>;',
  MyChip: 'declare function MyChip(props: { name: string }): ReactNode;',
  Stage: 'declare function Stage(): ReactNode;',
  WhoIsHere: 'declare function WhoIsHere(): ReactNode;',
  ViewerBadge: 'declare function ViewerBadge(props: { initialData?: OccupancyData }): ReactNode;',
  RoomMembers:
    'declare function RoomMembers(props: { initialData: readonly PresenceMember<Profile>[] }): ReactNode;',
};

const AMBIENT = "declare module '*.css';\n";

interface Snippet {
  readme: string;
  /** Line of the opening fence, 1-based. */
  line: number;
  lang: 'ts' | 'tsx';
  code: string;
}

function readmes(): string[] {
  const found = [join(root, 'README.md')];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir))) {
      const file = join(root, dir, name, 'README.md');
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
}

function snippetsOf(readme: string): Snippet[] {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lang = /^```(ts|tsx|typescript)\b/.exec(lines[i]!)?.[1];
    if (!lang) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i]!);
    out.push({
      readme: relative(root, readme),
      line: start + 1,
      lang: lang === 'tsx' ? 'tsx' : 'ts',
      code: body.join('\n'),
    });
  }
  return out;
}

/** Names a snippet declares or imports at its top level, and every identifier it mentions. */
function namesOf(code: string, lang: 'ts' | 'tsx'): { declared: Set<string>; used: Set<string> } {
  const file = ts.createSourceFile(
    `x.${lang}`,
    code,
    ts.ScriptTarget.ES2022,
    true,
    lang === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const declared = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else
      for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) declared.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) declared.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const element of bindings.elements) declared.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      declared.add(statement.name.text);
    }
  }
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { declared, used };
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  noUncheckedIndexedAccess: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  // The Next.js example's own copy of `next`, for `next/headers`.
  paths: { 'next/*': [join(root, 'examples/nextjs/node_modules/next/*')] },
};

/** A compiler host that also serves in-memory files: nothing is written to disk. */
function hostWith(files: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version, true);
  };
  return host;
}

/** `name → import line` for every export of {@link AUTO_IMPORTED} (the first module wins). */
function autoImports(): Map<string, string> {
  const probe = join(home, 'probe.ts');
  const text = AUTO_IMPORTED.map((m, i) => `import * as m${i} from '${m}';`).join('\n');
  const program = ts.createProgram([probe], options, hostWith(new Map([[probe, text]])));
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe)!;
  const imports = new Map<string, string>();
  file.statements.forEach((statement, i) => {
    const specifier = (statement as ts.ImportDeclaration).moduleSpecifier;
    const module = checker.getSymbolAtLocation(specifier);
    if (!module) throw new Error(`${AUTO_IMPORTED[i]} does not resolve: run pnpm build first`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const name = symbol.getName();
      if (name !== 'default' && !imports.has(name))
        imports.set(name, `import { ${name} } from '${AUTO_IMPORTED[i]}';`);
    }
  });
  for (const [name, line] of Object.entries(NAMED_IMPORTS)) imports.set(name, line);
  return imports;
}

/** The snippet as a module: what it needs but lacks, then the snippet itself. */
function moduleOf(
  snippet: Snippet,
  imports: Map<string, string>,
): { text: string; offset: number } {
  const { declared, used } = namesOf(snippet.code, snippet.lang);
  const prelude: string[] = [];
  const added = new Set<string>();
  const need = (names: Iterable<string>): void => {
    for (const name of names) {
      if (declared.has(name) || added.has(name)) continue;
      const line = READER_NAMES[name] ?? imports.get(name);
      if (!line) continue;
      added.add(name);
      prelude.push(line);
      // A reader's name may itself use exports (`Ably.Rest`, `ReactNode`, `Profile`).
      if (READER_NAMES[name]) need(namesOf(line, 'ts').used);
    }
  };
  need(used);
  const head = `${prelude.join('\n')}\nexport {};\n`;
  return { text: head + snippet.code, offset: head.split('\n').length - 1 };
}

test('every TypeScript snippet of every README compiles against the built packages', () => {
  const snippets = readmes().flatMap(snippetsOf);
  expect(snippets.length).toBeGreaterThan(20);
  const imports = autoImports();
  const files = new Map<string, string>([[join(home, 'ambient.d.ts'), AMBIENT]]);
  const origin = new Map<string, { snippet: Snippet; offset: number }>();
  snippets.forEach((snippet, i) => {
    const name = join(home, `snippet-${i}.${snippet.lang}`);
    const { text, offset } = moduleOf(snippet, imports);
    files.set(name, text);
    origin.set(name, { snippet, offset });
  });
  const program = ts.createProgram([...files.keys()], options, hostWith(files));
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
    const from = d.file && origin.get(d.file.fileName);
    if (!d.file || !from) return `TS${d.code}: ${message}`;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const at = line - from.offset;
    return at < 0
      ? `${from.snippet.readme}:${from.snippet.line} (the names supplied to it): TS${d.code}: ${message}`
      : `${from.snippet.readme}:${from.snippet.line + 1 + at}: TS${d.code}: ${message}`;
  });
  expect(problems).toEqual([]);
});
