/**
 * Zod schemas for single CSV cells (always strings): each turns the text into a typed value
 * or adds one issue whose message says what is wrong and, where possible, what would be right.
 */
import { z } from 'zod';
import { dayNumber, isMonday, mondayOf, weekdayIndex, WEEKDAY_NAMES } from '../../engine/calendar/index.js';

type Ctx = z.RefinementCtx;

const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

const show = (raw: string) => JSON.stringify(raw);

export function text() {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim();
    return v === '' ? fail(ctx, 'is required') : v;
  });
}

export function number(limits: { min?: number; max?: number; below?: number; integer?: boolean } = {}) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim();
    if (v === '') return fail(ctx, 'is required');
    // Number('') and Number(' ') are 0 and Number('0x10') is 16: accept plain decimals only.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return fail(ctx, `${show(raw)} is not a number`);
    const n = Number(v);
    if (!Number.isFinite(n)) return fail(ctx, `${show(raw)} is not a finite number`);
    if (limits.integer && !Number.isInteger(n)) return fail(ctx, `${v} must be a whole number`);
    if (limits.min !== undefined && n < limits.min) return fail(ctx, `${v} must be ≥ ${limits.min}`);
    if (limits.max !== undefined && n > limits.max) return fail(ctx, `${v} must be ≤ ${limits.max}`);
    if (limits.below !== undefined && n >= limits.below) return fail(ctx, `${v} must be < ${limits.below}`);
    return n;
  });
}

/**
 * Units of a purchase: more than 0. A 0 row is not an order (said so: leave it out), and a
 * negative one (a return) is refused as "must be > 0", not the "≥ 0" a plain `min: 0` would say
 * while rejecting 0 too.
 */
export function purchaseUnits() {
  const plain = number();
  return z.string().transform((raw, ctx) => {
    const r = plain.safeParse(raw);
    if (!r.success) return fail(ctx, r.error.issues.map((i) => i.message).join('; '));
    if (r.data === 0) return fail(ctx, '0 is not a purchase; leave the row out');
    if (r.data < 0) return fail(ctx, `${raw.trim()} must be > 0 (units bought; a return is not an order)`);
    return r.data;
  });
}

const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

export function boolean() {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return fail(ctx, `${show(raw)} is not a boolean (use true/false, 1/0 or yes/no)`);
  });
}

/** An ISO Monday date 'YYYY-MM-DD'; a valid other weekday gets a "did you mean" with its Monday. */
export function week() {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim();
    if (v === '') return fail(ctx, 'is required');
    if (dayNumber(v) === undefined) return fail(ctx, `${show(raw)} is not a date in YYYY-MM-DD form`);
    if (!isMonday(v)) {
      return fail(
        ctx,
        `${v} is a ${WEEKDAY_NAMES[weekdayIndex(v)]}; weeks must be ISO Monday dates (did you mean ${mondayOf(v)}?)`,
      );
    }
    return v;
  });
}

/** A JSON object whose values are strings or numbers (product attributes). */
export function attributes() {
  return z.string().transform((raw, ctx): Record<string, string | number> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return fail(ctx, `is not valid JSON (expected an object such as {"storage_gb":128})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(ctx, 'must be a JSON object');
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string' && typeof v !== 'number') return fail(ctx, `attribute "${k}" must be a string or a number`);
    }
    return parsed as Record<string, string | number>;
  });
}

/** A column that may be absent or empty: then `fallback`. */
export function optional<T>(cell: z.ZodType<T, string>, fallback: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const result = cell.safeParse(raw);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    });
}
