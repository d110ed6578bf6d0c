/**
 * The baseline of the "analysis vs parse" benchmark: the same files listed, read and parsed with
 * tree-sitter, nothing else. Run as its own process, like the CLI it is compared with.
 */
import { listSourceFiles } from '../../server/src/analysis/files';
import { readSource } from '../../server/src/analysis/source';
import { getParser } from '../../server/src/analysis/parser';

void (async () => {
  const parser = await getParser();
  const { files } = await listSourceFiles([process.argv[2]]);
  let bytes = 0;
  for (const f of files) {
    const read = readSource(f.absolute);
    if (!read.ok) continue;
    bytes += Buffer.byteLength(read.text);
    parser.parse(read.text).delete();
  }
  process.stdout.write(JSON.stringify({ files: files.length, bytes }));
})();
