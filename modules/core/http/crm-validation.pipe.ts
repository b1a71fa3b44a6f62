import { Injectable, ValidationError, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { CrmError, CrmFieldError } from '../errors/crm-error';
import { errorPaths, storedValueErrors } from './stored-value-rules';

/**
 * How deep a body or query may nest. The CRM's deepest DTO nests 3 levels; class-transformer and
 * class-validator recurse per level, so 10,000 levels of `[[[...]]]` would overflow the stack.
 */
export const MAX_INPUT_DEPTH = 16;

/**
 * The CRM's validation: unknown fields are refused, values are transformed to their DTO types,
 * and every failure names the field (dotted path for nested objects) and the rule it broke.
 * Beyond the DTOs' own rules, the ones every DTO obeys (see stored-value-rules.ts), a bound on nesting and
 * well-formed text.
 */
@Injectable()
export class CrmValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => CrmError.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Before class-transformer and class-validator see it: both recurse per level, and some of class-validator's
    // rules throw on a lone surrogate (isEmail: "URI malformed").
    const problems = rawInputProblems(value, metadata.data || metadata.type);
    if (problems.length) throw CrmError.validation(problems);
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    return [...errors, ...storedValueErrors(object, errorPaths(errors))];
  }
}

/** A lone surrogate (half of a pair) or NUL: neither can be stored in a utf8mb4 column (nor PostgreSQL text). */
const NOT_STORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;

/**
 * What is wrong with the raw input whatever the DTO: nesting deeper than `MAX_INPUT_DEPTH` (named by the
 * top-level field it is under, or by `root` when the input itself is the array) and text that is not well-formed
 * Unicode (by its dotted path; a bad key by its parent's).
 */
function rawInputProblems(value: unknown, root: string): CrmFieldError[] {
  const problems: CrmFieldError[] = [];
  const walk = (v: unknown, path: string, top: string, depth: number): void => {
    if (typeof v === 'string') {
      if (NOT_STORABLE.test(v)) problems.push(notWellFormed(path || root));
      return;
    }
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
    if (depth > MAX_INPUT_DEPTH) {
      const field = top || root;
      if (!problems.some((p) => p.field === field && p.rule === 'maxDepth')) {
        problems.push({ field, rule: 'maxDepth', message: `${field} nests deeper than ${MAX_INPUT_DEPTH} levels` });
      }
      return;
    }
    for (const [key, child] of Object.entries(v)) {
      if (NOT_STORABLE.test(key)) problems.push(notWellFormed(path || root));
      const childPath = path ? `${path}.${key}` : Array.isArray(v) ? '' : key;
      walk(child, childPath, top || (Array.isArray(v) ? '' : key), depth + 1);
    }
  };
  walk(value, '', '', 1);
  return problems;
}

function notWellFormed(field: string): CrmFieldError {
  return { field, rule: 'wellFormed', message: `${field} must be well-formed Unicode text (no lone surrogate, no NUL character)` };
}

function flatten(errors: ValidationError[], parent = ''): CrmFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not an accepted field` : message.replace(error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
