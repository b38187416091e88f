import { readdirSync } from 'node:fs';
import { scanPath } from './scan-folder';
const root = '/tmp/scratch/scan-tree';
const srcs = readdirSync(root).map((d) => `${root}/${d}/src`);
for (let r = 0; r < 4; r++) {
  let t = performance.now();
  for (const f of srcs) scanPath(f, true, 5e7);
  const a = performance.now() - t;
  t = performance.now();
  const queue = [root];
  while (queue.length) { const res = scanPath(queue.shift() as string, true, 5e7); queue.push(...res.folders); }
  const b = performance.now() - t;
  t = performance.now();
  const order: string[] = []; const q2 = [root];
  while (q2.length) { const res = scanPath(q2.shift() as string, true, 5e7); q2.push(...res.folders); }
  console.log('srcs', a.toFixed(0), 'bfs', b.toFixed(0), 'bfs2', (performance.now() - t).toFixed(0));
}
