import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDependencies } from './depcheck.mjs';

let dir = '';
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** A throwaway project tree: path -> source. */
function project(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'troupe-depcheck-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

describe('the dependency check', () => {
  it('passes arrows that point down', async () => {
    const base = project({
      'extension/background/db/database.ts': "import { LIMIT } from '../../messaging/limits.ts';\nexport const db = LIMIT;\n",
      'extension/background/library/library.ts': "import { db } from '../db/database.ts';\nexport const library = db;\n",
      'extension/messaging/limits.ts': 'export const LIMIT = 1;\n',
      'extension/content/panel/panel.ts': "import { LIMIT } from '../../messaging/limits.ts';\nexport const panel = LIMIT;\n",
    });
    expect((await checkDependencies(base)).problems).toEqual([]);
  });

  it('fails an upward import, naming the rule and the files', async () => {
    const base = project({
      'extension/background/db/database.ts': 'export const db = 1;\n',
      'extension/messaging/chat.ts': "import { db } from '../background/db/database.ts';\nexport const chat = db;\n",
    });
    const { problems } = await checkDependencies(base);
    expect(problems).toEqual(['messaging-is-the-contract: extension/messaging/chat.ts -> extension/background/db/database.ts']);
  });

  it('fails one context importing another', async () => {
    const base = project({
      'extension/background/library/library.ts': 'export const library = 1;\n',
      'extension/content/panel/list.ts': "import { library } from '../../background/library/library.ts';\nexport const list = library;\n",
    });
    expect((await checkDependencies(base)).problems).toEqual(['content-is-its-own-context: extension/content/panel/list.ts -> extension/background/library/library.ts']);
  });

  it('fails a cycle between folders even when no file imports itself back', async () => {
    const base = project({
      'extension/background/db/database.ts': "import { LibraryError } from '../library/errors.ts';\nexport const db = LibraryError;\n",
      'extension/background/library/errors.ts': 'export class LibraryError extends Error {}\n',
      'extension/background/library/library.ts': "import { db } from '../db/database.ts';\nexport const library = db;\n",
    });
    const { problems } = await checkDependencies(base);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^folder-cycle: extension\/background\/db, extension\/background\/library /);
  });

  it('lets a test reach across contexts to prove two sides agree, but not shipping code into tests', async () => {
    const base = project({
      'extension/background/prompt/test-support.ts': 'export const fixture = 1;\n',
      'extension/content/overlay/build.test.ts': "import { fixture } from '../../background/prompt/test-support.ts';\nexport const t = fixture;\n",
      'extension/content/overlay/build.ts': "import { fixture } from '../../background/prompt/test-support.ts';\nexport const b = fixture;\n",
    });
    const { problems } = await checkDependencies(base);
    expect(problems.sort()).toEqual([
      'content-is-its-own-context: extension/content/overlay/build.ts -> extension/background/prompt/test-support.ts',
      'no-tests-in-production: extension/content/overlay/build.ts -> extension/background/prompt/test-support.ts',
    ]);
  });
});
