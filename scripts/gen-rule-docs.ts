// Writes docs/rules/ from the knowledge base (run: npm run docs). Stale pages are removed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeBase } from '../server/src/knowledge';
import { renderRuleDocs } from '../server/src/knowledge/docs';

const out = path.join(__dirname, '..', 'docs', 'rules');
fs.rmSync(out, { recursive: true, force: true });
for (const [rel, content] of renderRuleDocs(KnowledgeBase.builtin())) {
  const file = path.join(out, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
console.log(`wrote ${fs.readdirSync(out, { recursive: true }).length} entries under docs/rules`);
