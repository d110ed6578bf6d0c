/** The effort model: default weights (weights.ts), the estimate (estimate.ts) and its shape (schema.ts). */
export * from './weights';
export * from './estimate';
export * from './schema';
