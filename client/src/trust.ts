/**
 * Workspace trust, as the client tells it to the server: every `ascendify` section that the server pulls
 * with workspace/configuration carries `workspaceTrusted`. In an untrusted workspace the server ignores
 * the workspace's rule file (it never runs workspace code, so nothing else changes). Pure function (no
 * `vscode` import) so unit tests can check it.
 */
export const UNTRUSTED_NOTE =
  'This workspace is not trusted: Ascendify ignores its rule file (.ascendify.json/.yaml, ' +
  'ascendify.rulesFile) and uses the built-in CUDA to CANN mappings only. Trust the workspace to use it.';

/** Adds `workspaceTrusted` to the answers for section `ascendify`; other sections pass unchanged. */
export function withTrust(items: ReadonlyArray<{ section?: string }>, answers: unknown[], trusted: boolean): unknown[] {
  return answers.map((value, i) =>
    items[i]?.section === 'ascendify' && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ...value, workspaceTrusted: trusted }
      : value,
  );
}
