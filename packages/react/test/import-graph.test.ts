// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test } from 'vitest';

/**
 * Imports flow one way (STYLE.md): core ← hooks ← components, providers beside the hooks, and no
 * file reaches itself again through its imports, type-only imports included.
 */

const src = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.(test|test-d|stories)\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The files of `src` that `file` imports or re-exports (relative specifiers only). */
function importsOf(file: string, files: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)];
  return specifiers.flatMap(([, specifier]) => {
    const base = resolve(dirname(file), specifier!);
    const hit = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext);
    return hit.filter((candidate) => files.has(candidate)).slice(0, 1);
  });
}

const files = sources(src);
const graph = new Map(files.map((file) => [file, importsOf(file, new Set(files))]));
const name = (file: string) => relative(src, file);

test('src has no circular imports', () => {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const seen = path.indexOf(file);
    if (seen >= 0) {
      cycles.push([...path.slice(seen), file].map(name).join(' → '));
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});

test('layers: core imports no other layer; providers import no hooks; hooks import no components', () => {
  const layer = (file: string) => name(file).split('/')[0]!;
  const forbidden: Record<string, string[]> = {
    core: ['hooks', 'components', 'providers', 'testing', 'server'],
    providers: ['hooks', 'components', 'testing'],
    hooks: ['components', 'testing'],
  };
  const wrong = files.flatMap((file) =>
    (graph.get(file) ?? [])
      .filter((target) => forbidden[layer(file)]?.includes(layer(target)))
      .map((target) => `${name(file)} → ${name(target)}`),
  );
  expect(wrong).toEqual([]);
});
