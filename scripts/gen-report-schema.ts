// Writes docs/report.schema.json, the JSON report's JSON Schema, from its TypeBox definition
// (server/src/report/report-schema.ts); run by `npm run docs`. A test checks the file is up to date.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { publishedReportSchema } from '../server/src/report/report-schema';

const out = path.join(__dirname, '..', 'docs', 'report.schema.json');
fs.writeFileSync(out, publishedReportSchema());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
