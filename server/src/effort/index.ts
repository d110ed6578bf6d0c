/** The effort model: default weights (weights.ts) and the estimate (estimate.ts). */
export * from './weights';
export * from './estimate';
