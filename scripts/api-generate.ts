// `npm run api:generate`: rewrites docs/openapi.json and the generated client types. A test fails
// while either is out of date with the route table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_TYPES_PATH, clientTypesText, DOCUMENT_PATH, documentText, ROOT } from './api-artifacts';

async function main(): Promise<void> {
  writeFileSync(join(ROOT, DOCUMENT_PATH), documentText());
  writeFileSync(join(ROOT, CLIENT_TYPES_PATH), await clientTypesText());
  console.log(`wrote ${DOCUMENT_PATH} and ${CLIENT_TYPES_PATH}`);
}

void main();
