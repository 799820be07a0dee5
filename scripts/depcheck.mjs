// The house rules, checked in the test command: dependency-cruiser's rules (.dependency-cruiser.cjs)
// on every import, then no cycle between folders (a folder importing a folder that imports it back,
// through any files, e.g. db/ -> library/ -> db/), which a per-file cycle check cannot see.
// Run as a script, it exits 1 and names each violation.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
/** The folders checked, relative to the repo root (or to `baseDir` in tests). */
export const ROOTS = ['extension', 'shared/src', 'sync-server/src'];
/** Code that never ships (tests, harness, benches) may lean on anything; the folder graph is of shipping code. */
const TESTS = /\.(test|e2e|bench)\.tsx?$|\/test-support\.ts$|\/test-db\.ts$|\/fixture-page\.ts$|^extension\/(e2e|bench)\/|test-setup\.ts$/;

/**
 * Checks `roots` under `baseDir` against the house rules; returns one line per broken rule or folder
 * cycle (empty when all hold) and the counts cruised.
 */
export async function checkDependencies(baseDir = process.cwd(), roots = ROOTS) {
  const config = require('../.dependency-cruiser.cjs');
  const existing = roots.filter((root) => fs.existsSync(path.join(baseDir, root)));
  const { output } = await cruise(existing, { ...config.options, validate: true, ruleSet: config, outputType: 'json', baseDir });
  const result = typeof output === 'string' ? JSON.parse(output) : output;
  const problems = [];
  for (const v of result.summary.violations) {
    const via = v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name ?? c).join(' -> ')})` : '';
    problems.push(`${v.rule.name}: ${v.from} -> ${v.to}${via}`);
  }

  // Folder graph: each shipping module's folder -> the folders it imports from (within our roots).
  const folderOf = (path) => path.slice(0, path.lastIndexOf('/'));
  const ours = (path) => roots.some((root) => path.startsWith(`${root}/`));
  const edges = new Map();
  for (const module of result.modules) {
    if (!ours(module.source) || TESTS.test(module.source)) continue;
    const from = folderOf(module.source);
    for (const dep of module.dependencies) {
      if (!ours(dep.resolved) || TESTS.test(dep.resolved)) continue;
      const to = folderOf(dep.resolved);
      // A folder and its subfolders are one unit: the parent's own files may wire the subfolders
      // (runtime-handlers.ts -> handlers/) or hold what they share (limits.ts), so only arrows between
      // folders where neither holds the other are folder arrows.
      if (to === from || to.startsWith(`${from}/`) || from.startsWith(`${to}/`)) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      // Keep one example import per folder edge, to name it in the report.
      if (!edges.get(from).has(to)) edges.get(from).set(to, `${module.source} -> ${dep.resolved}`);
    }
  }
  // Tarjan's strongly connected components: any component with more than one folder is a cycle.
  let index = 0;
  const stack = [];
  const info = new Map();
  const components = [];
  function visit(node) {
    info.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!info.has(next)) {
        visit(next);
        info.get(node).low = Math.min(info.get(node).low, info.get(next).low);
      } else if (info.get(next).onStack) info.get(node).low = Math.min(info.get(node).low, info.get(next).index);
    }
    if (info.get(node).low === info.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        info.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  }
  for (const node of edges.keys()) if (!info.has(node)) visit(node);
  for (const component of components) {
    const inside = new Set(component);
    const examples = [];
    for (const from of component) for (const [to, example] of edges.get(from) ?? []) if (inside.has(to)) examples.push(example);
    problems.push(`folder-cycle: ${component.sort().join(', ')} (${examples.join('; ')})`);
  }
  return { problems, modules: result.summary.totalCruised, imports: result.summary.totalDependenciesCruised };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname)) {
  const { problems, modules, imports } = await checkDependencies();
  if (problems.length > 0) {
    for (const problem of problems) console.error(`✗ ${problem}`);
    console.error(`Dependency check failed (${modules} modules). The rules are in .dependency-cruiser.cjs; README "Architecture" explains them.`);
    process.exit(1);
  }
  console.log(`✓ Dependency check: ${modules} modules, ${imports} imports, no rule broken, no cycle between files or folders.`);
}
