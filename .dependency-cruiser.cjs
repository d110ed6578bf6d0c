/**
 * The layers of the code base, one way (docs/architecture.md, "Layers"); `npm run depcheck` checks them.
 *   common <- knowledge <- analysis <- effort <- fix <- report <- lsp <- faces (cli.ts, server.ts, worker.ts)
 * The VS Code client (client/src) talks to the server over LSP only: of the server it imports common/.
 */
const SERVER = '^server/src/';
const layer = (name) => `${SERVER}${name}/`;
/** A layer may import itself and the layers listed before it, nothing above. */
const ORDER = ['common', 'knowledge', 'analysis', 'effort', 'fix', 'report', 'lsp'];

const layerRules = ORDER.map((name, i) => ({
  name: `${name}-imports-only-lower-layers`,
  comment: `${name}/ may import ${ORDER.slice(0, i + 1).join(', ')} (and packages), not the layers above it or the faces.`,
  severity: 'error',
  from: { path: layer(name) },
  to: {
    path: SERVER,
    pathNot: ORDER.slice(0, i + 1).map(layer),
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others: cycles make the order of loading and of reading unclear.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'client-imports-only-common',
      comment: 'The extension shows what the server computes: it shares the protocol types and small pure helpers, never the analysis.',
      severity: 'error',
      from: { path: '^client/src/' },
      to: { path: SERVER, pathNot: layer('common') },
    },
    {
      name: 'server-never-imports-client',
      severity: 'error',
      from: { path: SERVER },
      to: { path: '^client/' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import resolves (a missing module is a broken build). Exceptions: `vscode` exists only inside the editor, ' +
        "and web-tree-sitter's types are imported type-only through its exports map, which tsc resolves (npm run typecheck) and this resolver does not.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(vscode|web-tree-sitter)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    // Type-only imports are dependencies too: a layer that names a higher layer's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      conditionNames: ['require', 'import', 'node', 'types', 'default'],
    },
  },
};
