import { readFileSync } from 'node:fs';
import { scanFile } from './scan-file';
const p = '/tmp/scratch/scan-tree/pkg0/bundle.min.js';
for (let r = 0; r < 4; r++) { const t = performance.now(); const res = scanFile(p, 5e7); console.log('bundle', (performance.now() - t).toFixed(0), res.bytes, res.hits.length); }
const b = readFileSync(p);
let t = performance.now(); let n = 0; for (let at = b.indexOf(45); at !== -1; at = b.indexOf(45, at + 1)) n++; console.log('dashes', n, (performance.now() - t).toFixed(0));
t = performance.now(); n = 0; for (let at = b.indexOf(0x73); at !== -1; at = b.indexOf(0x73, at + 1)) n++; console.log('s', n, (performance.now() - t).toFixed(0));
