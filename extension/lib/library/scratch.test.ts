// @vitest-environment node
import { it, expect } from 'vitest';
import Dexie from 'dexie';
it('blob', async () => {
  const db = new Dexie('x' + Math.random());
  db.version(1).stores({ a: 'id' });
  const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' });
  console.log('Blob is', Blob.name, typeof structuredClone);
  await db.table('a').put({ id: 1, blob });
  const row = await db.table('a').get(1);
  console.log(row.blob, row.blob instanceof Blob, row.blob.type, new Uint8Array(await row.blob.arrayBuffer()));
  console.log(typeof createImageBitmap, typeof OffscreenCanvas, typeof FileReader);
  expect(1).toBe(1);
});
