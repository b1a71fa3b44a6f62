import fc from 'fast-check';

/*
 * fast-check arbitraries drawn from the OpenAPI document: values its schemas call valid, and mutations of
 * them that break one documented rule (or none the document states, but one a caller can send anyway).
 */

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  $ref?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, unknown>[];
  responses?: Record<string, unknown>;
}

/** The schema `$ref` and `allOf: [$ref]` point at, merged with the referring schema's own keys. */
export function resolve(document: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length) {
    const { allOf, ...own } = schema;
    return allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(document, part) }), own);
  }
  return schema;
}

/** Ids the seeded database holds for every kind of record: references drawn from here point at real ones. */
const SMALL_ID = fc.integer({ min: 1, max: 6 });

/** A value the schema calls valid (within bounds the database can hold). */
export function validValue(document: OpenApiDocument, raw: Schema, name = ''): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  const value = nonNullValue(document, schema, name);
  return schema.nullable ? fc.option(value, { nil: null, freq: 6 }) : value;
}

function nonNullValue(document: OpenApiDocument, schema: Schema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validValue(document, s, name)));
  switch (schema.type) {
    case 'integer':
    case 'number': {
      if (/ids?$/i.test(name) && (schema.minimum ?? 1) >= 1 && schema.maximum === undefined) return SMALL_ID;
      const min = schema.minimum ?? -1000;
      return fc.integer({ min, max: Math.min(schema.maximum ?? min + 10_000, 2 ** 31 - 1) });
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(schema);
    case 'array': {
      const items = validValue(document, schema.items ?? {}, name.replace(/s$/, ''));
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object':
    default:
      return validObject(document, schema);
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const max = Math.min(schema.maxLength ?? 60, 60);
  const min = Math.min(schema.minLength ?? 0, max);
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= max);
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .map((s) => (schema.maxLength !== undefined ? s.slice(0, schema.maxLength) : s.slice(0, 60)))
      .filter((s) => new RegExp(schema.pattern as string).test(s) && s.length >= min);
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: max, unit: 'grapheme-ascii' }) },
    { weight: 1, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(min, Math.floor(max / 4)), unit: 'grapheme' }) },
  );
}

function validObject(document: OpenApiDocument, schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  if (!schema.properties) {
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return fc.dictionary(fc.stringMatching(/^[a-z]{2}$/), validValue(document, schema.additionalProperties), { maxKeys: 3 });
    }
    return fc.constant({});
  }
  const required = new Set(schema.required ?? []);
  const model = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, validValue(document, value, key)]));
  return fc.record(model, { requiredKeys: [...required].filter((key) => key in model) });
}

/** Text that trips code which assumes ASCII, well-formed UTF-16 or short input. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\u2764\uFE0F',
  '\u202Eevil\u202C',
  'Z\u0351\u0360\u0362\u0336\u0338a\u0315\u0341l\u0338g\u0362o',
  'e\u0301',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
  '\uFEFF',
  "'; DROP TABLE crm_lead; --",
  '%s%n%x',
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\r\n\t',
  '1e309',
  '-0',
  'NaN',
  'true',
  'null',
  '[]',
  '{}',
  '__proto__',
];

/** Numbers at or past every bound a number column or JavaScript has. */
export const EDGE_NUMBERS: readonly number[] = [0, -1, 1.5, -0.0001, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e308, -1e308, Number.MIN_VALUE];

/** One mutation of one value; `breaks` says it breaks a rule the document states, so a 2xx would be a lie of the document. */
export interface Mutation {
  label: string;
  value: unknown;
  breaks: boolean;
}

/** Mutations of a value of `schema`: null, other types, every bound and a step past it, edge text, nesting. */
export function mutationsOf(document: OpenApiDocument, raw: Schema): fc.Arbitrary<Mutation> {
  const schema = resolve(document, raw);
  const mutations: Mutation[] = [];
  const add = (label: string, value: unknown, breaks: boolean) => mutations.push({ label, value, breaks });
  const numeric = schema.type === 'number' || schema.type === 'integer';
  add('null', null, !schema.nullable);
  if (schema.type !== 'string' && !schema.enum) add('a string', 'abc', true);
  if (!numeric) add('a number', 42, schema.type !== undefined);
  if (schema.type !== 'boolean') add('a boolean', true, schema.type !== undefined);
  if (schema.type !== 'array') add('an array', ['x'], schema.type !== undefined);
  if (schema.type !== 'object') add('an object', { a: 1 }, schema.type !== undefined);
  if (numeric) {
    for (const n of EDGE_NUMBERS) add(`number ${n}`, n, (schema.minimum !== undefined && n < schema.minimum) || (schema.maximum !== undefined && n > schema.maximum));
    if (schema.minimum !== undefined) add('minimum - 1', schema.minimum - 1, true);
    if (schema.maximum !== undefined) add('maximum + 1', schema.maximum + 1, true);
    if (schema.maximum !== undefined) add('maximum', schema.maximum, false);
  }
  if (schema.type === 'string' || schema.enum) {
    for (const s of EDGE_STRINGS) add(`text ${JSON.stringify(s)}`, s, false);
    add('100,000 characters', 'x'.repeat(100_000), schema.maxLength !== undefined);
    if (schema.maxLength !== undefined) {
      add('maxLength + 1', 'a'.repeat(schema.maxLength + 1), true);
      add('maxLength + 1 with variation selectors', '\u2764\uFE0F'.repeat(Math.ceil((schema.maxLength + 1) / 2)), true);
      add('maxLength astral characters', '\u{1F697}'.repeat(schema.maxLength), false);
    }
    if (schema.enum) add('not one of the enum', 'not_a_member', true);
    if (schema.format === 'date-time' || schema.format === 'date') {
      for (const d of ['2026-02-30', '2026-02-29', '2026-13-01', '2026-W05', '2026-060', '+002026-01-01', '0000-01-01', '9999-12-31T23:59:60Z', '2026-01-01T24:00:00Z']) add(`date ${d}`, d, false);
    }
  }
  if (schema.type === 'array') {
    add('an array of nulls', [null], true);
    add('an array of arrays', [['x']], true);
    if (schema.maxItems !== undefined) add('maxItems + 1', Array.from({ length: schema.maxItems + 1 }, (_, i) => (schema.items?.type === 'string' ? `k${i}` : i + 1)), true);
  }
  add('nested 10,000 levels', DEEP, true);
  return fc.constantFrom(...mutations);
}

/** A marker the request builder writes as 10,000 levels of `[`, which JSON.stringify could not. */
export const DEEP = Symbol('10,000 levels of nesting');

/** JSON text of a value, with `DEEP` written out as 10,000 nested arrays. */
export function toJson(value: unknown): string {
  const deep = '['.repeat(10_000) + '1' + ']'.repeat(10_000);
  const marker = '"__deep_marker__"';
  return JSON.stringify(value, (_key, v) => (v === DEEP ? '__deep_marker__' : v)).split(marker).join(deep);
}
