// `npm run confusables:generate`: rewrites src/shared/confusables-data.ts from the confusables table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confusablesDataText, DATA_PATH, ROOT } from './confusables-data';

writeFileSync(join(ROOT, DATA_PATH), confusablesDataText());
console.log(`wrote ${DATA_PATH}`);
