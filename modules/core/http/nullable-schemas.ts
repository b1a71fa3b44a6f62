import { type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';

/*
 * OpenAPI 3.0 (3.0.3 made it explicit) lets `nullable: true` add null to the `type` beside it, and nothing else:
 * an `enum` beside it must list null itself, and a `$ref` (or an `allOf` around one) never admits null. Strict
 * validators and client generators read it that way, so a nullable field that can really be null says so here.
 */

/** Only null: typed, so `nullable` is meaningful (and Redocly's `nullable-type-sibling` holds). */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] } as const;

/** `T | null`, spelled so the swagger plugin adds no `nullable` (see `ApiNullableRef`). */
export type OrNull<T> = T | null;

/** A nullable enum: `null` is one of its values. */
export function ApiNullableEnum(values: readonly string[], options: ApiPropertyOptions & { optional?: boolean } = {}): PropertyDecorator {
  const { optional, ...rest } = options;
  const decorate = optional ? ApiPropertyOptional : ApiProperty;
  return decorate({ type: 'string', enum: [...values, null] as string[], nullable: true, ...rest } as ApiPropertyOptions);
}

/**
 * A nested record, or null. Type the property `OrNull<Model>`, not `Model | null`: the swagger plugin turns a
 * written-out `| null` into `nullable: true`, which beside this `anyOf` (Nest drops `type` there) would be
 * untyped, without meaning in OpenAPI 3.0 (and an error for Redocly's `nullable-type-sibling`).
 */
export function ApiNullableRef(model: Type<unknown>, options: Pick<ApiPropertyOptions, 'description'> = {}): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    ApiExtraModels(model)(target.constructor);
    ApiProperty({ ...options, anyOf: [{ $ref: getSchemaPath(model) }, NULL_ONLY] } as ApiPropertyOptions)(target, key);
  };
}
