import { getMetadataStorage, type ValidationError } from 'class-validator';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** Where `@ApiProperty()` keeps a property's options (@nestjs/swagger's `DECORATORS.API_MODEL_PROPERTIES`, the same in 11 and 12). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/*
 * Rules every DTO of the CRM obeys without saying so, checked on the validated instance after class-validator
 * (so the DTOs need no decorator of their own for them). Each is a rule the database would otherwise enforce
 * with a 500, or class-validator gets differently from the database:
 * - null only where the document says `nullable`: `@IsOptional()` (and `PartialType`) lets `null` through
 *   as if the field were left out, and a non-nullable column then refuses it;
 * - `@MaxLength` counts characters as a utf8mb4 column does, one per code point: class-validator's
 *   does not count the variation selectors U+FE0E/U+FE0F, so `❤️` x 61 passes a 120 limit it breaks;
 * - `@IsInt` values fit the 32-bit integer columns they are stored in (or compared with).
 */

/** The range of the INT columns every integer of the CRM is stored in. */
export const INT_COLUMN_MIN = -(2 ** 31);
export const INT_COLUMN_MAX = 2 ** 31 - 1;

type FieldPath = string;

/** The CRM's own rules on a validated DTO instance; `already` holds the paths class-validator refused (each named once). */
export function storedValueErrors(instance: object, already: ReadonlySet<FieldPath>): ValidationError[] {
  const errors: ValidationError[] = [];
  checkInstance(instance, '', already, errors);
  return errors;
}

/** Every dotted path class-validator's errors name. */
export function errorPaths(errors: ValidationError[], parent = '', into = new Set<FieldPath>()): Set<FieldPath> {
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    into.add(path);
    errorPaths(error.children ?? [], path, into);
  }
  return into;
}

function checkInstance(instance: object, parent: string, already: ReadonlySet<FieldPath>, errors: ValidationError[]): void {
  const type = instance.constructor;
  const rules = rulesOf(type);
  for (const [property, value] of Object.entries(instance)) {
    const path = parent ? `${parent}.${property}` : property;
    if (already.has(path)) continue;
    const own = rules.get(property) ?? [];
    const broken = value === null ? nullError(type, property, path) : lengthError(own, value, path) ?? rangeError(own, value, path);
    if (broken) {
      errors.push({ property: path, value, constraints: broken, children: [] });
      continue;
    }
    for (const [index, child] of (Array.isArray(value) ? value.entries() : [[undefined, value] as const])) {
      if (isDto(child)) checkInstance(child, index === undefined ? path : `${path}.${index}`, already, errors);
    }
  }
}

function nullError(type: Function, property: string, path: FieldPath): Record<string, string> | undefined {
  if (documentedNullable(type, property)) return undefined;
  // The rule services named `required` when they refused a cleared field one by one; callers already know it.
  return { required: `${path} cannot be null: leave it out instead (on a change, it then stays as it is)` };
}

function lengthError(rules: ValidationMetadata[], value: unknown, path: FieldPath): Record<string, string> | undefined {
  for (const rule of rules.filter((r) => r.name === 'maxLength')) {
    const max = Number(rule.constraints[0]);
    const values = rule.each && Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && characters(v) > max)) {
      return { maxLength: `${path} must be shorter than or equal to ${max} characters (each code point counts, variation selectors too)` };
    }
  }
  return undefined;
}

function rangeError(rules: ValidationMetadata[], value: unknown, path: FieldPath): Record<string, string> | undefined {
  const rule = rules.find((r) => r.name === 'isInt');
  if (!rule) return undefined;
  const values = rule.each && Array.isArray(value) ? value : [value];
  if (values.some((v) => typeof v === 'number' && v > INT_COLUMN_MAX)) return { max: `${path} must not be greater than ${INT_COLUMN_MAX}` };
  if (values.some((v) => typeof v === 'number' && v < INT_COLUMN_MIN)) return { min: `${path} must not be less than ${INT_COLUMN_MIN}` };
  return undefined;
}

/** Characters as MySQL/MariaDB count them in a utf8mb4 column: code points. */
function characters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A DTO class instance (not a plain object, an array or a Date). */
function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object && !(value instanceof Date) && rulesOf(value.constructor).size > 0;
}

const ruleCache = new WeakMap<Function, Map<string, ValidationMetadata[]>>();

/** class-validator's rules of a class, by property (inherited ones included). */
function rulesOf(type: Function): Map<string, ValidationMetadata[]> {
  let rules = ruleCache.get(type);
  if (!rules) {
    rules = new Map();
    for (const rule of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
      rules.set(rule.propertyName, [...(rules.get(rule.propertyName) ?? []), rule]);
    }
    ruleCache.set(type, rules);
  }
  return rules;
}

/**
 * Whether the document says the property takes `null`: by `@ApiProperty({ nullable: true })` (PartialType keeps
 * it) or by the swagger CLI plugin's metadata of a `| null` property without that decorator.
 */
function documentedNullable(type: Function, property: string): boolean {
  const declared = Reflect.getMetadata(API_MODEL_PROPERTIES, type.prototype, property) as { nullable?: boolean } | undefined;
  if (declared?.nullable !== undefined) return declared.nullable;
  for (let t: Function | null = type; t && t !== Object; t = Object.getPrototypeOf(t)) {
    const factory = (t as { _OPENAPI_METADATA_FACTORY?: () => Record<string, { nullable?: boolean }> })._OPENAPI_METADATA_FACTORY;
    const plugin = Object.hasOwn(t, '_OPENAPI_METADATA_FACTORY') ? factory?.()[property] : undefined;
    if (plugin?.nullable !== undefined) return plugin.nullable;
  }
  return false;
}
