import { FilePool } from './file-pool';
import { scanPath } from './scan-folder';
const root = '/tmp/scratch/scan-tree';
(async () => {
  for (let r = 0; r < 4; r++) {
    let t = performance.now();
    const queue = [root]; let n = 0;
    while (queue.length) { const res = scanPath(queue.shift() as string, true, 5e7); n += res.scanned; queue.push(...res.folders); }
    const loop = performance.now() - t;
    t = performance.now();
    const pool = new FilePool(5e7, 1);
    let m = 0;
    await pool.walk([{ path: root, isFolder: true }], (_p, res) => { m += res.scanned; });
    await pool.close();
    console.log('loop', loop.toFixed(0), n, 'pool', (performance.now() - t).toFixed(0), m);
  }
})();
