// Types of scripts/chromium.mjs for the TypeScript that imports it (test/helpers/browser.ts).
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare const LOOPBACK_ONLY_ARG: string;
export declare function chromiumLaunchOptions(extraArgs?: readonly string[]): { executablePath: string; headless: true; args: string[] };
