/**
 * The small TypeBox pieces the schemas written once (knowledge entry, JSON report files and summary) are
 * built from, so each spells a count, a line or a nullable string the same way in the JSON Schema.
 */
import { Type, type TUnsafe } from '@sinclair/typebox';

/** Far beyond any real file (a 10 MB file has at most 10 million lines), small enough that sums stay finite. */
export const MAX_COUNT = 1_000_000_000;
/** Line and column numbers count from 1. */
export const Line = () => Type.Integer({ minimum: 1, maximum: MAX_COUNT });
/** Counts (of lines, findings, files...) from 0. */
export const Count = () => Type.Integer({ minimum: 0, maximum: MAX_COUNT });
/** A string or null, as `type: ['string', 'null']`. */
export const NullableString = (): TUnsafe<string | null> => Type.Unsafe<string | null>({ type: ['string', 'null'] });
/** A string from a closed list, written as JSON Schema's `enum` (errors name the allowed values). */
export const StringEnum = <const T extends readonly string[]>(values: T): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ enum: [...values] });
/** An object of counts by name (findings by kind, library...), as `additionalProperties`. */
export const CountMap = (): TUnsafe<Record<string, number>> =>
  Type.Unsafe<Record<string, number>>({ type: 'object', additionalProperties: Count() });
