/**
 * Libraries a command needs only sometimes, loaded on first use. In the bundle a required package is
 * initialised when first required, so a one-file report no longer pays for schema validation, YAML,
 * globbing .gitignore files or the progress bar at start-up (together ~70 ms of a 0.5 s profile).
 */
import type AjvClass from 'ajv';

export const ajvClass = (): typeof AjvClass => (require('ajv') as typeof import('ajv')).default;
export const yamlModule = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
export const fastGlob = (): typeof import('fast-glob') => require('fast-glob') as typeof import('fast-glob');
export const cliProgress = (): typeof import('cli-progress') => require('cli-progress') as typeof import('cli-progress');
