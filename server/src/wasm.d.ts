/**
 * The part of the WebAssembly API that analysis/parser.ts uses. Node has all of it; the TypeScript "dom"
 * library would declare it too, with the whole browser besides, so only these are declared here.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {}
  type Imports = Record<string, Record<string, unknown>>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
  function instantiate(bytes: Uint8Array, imports?: Imports): Promise<{ module: Module; instance: Instance }>;
}
