import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CrmError } from '../errors/crm-error';
import { CrmValidationPipe } from './crm-validation.pipe';
import { isCalendarDate } from './is-iso-date.validator';

class InnerDto {
  @ApiProperty() @IsString() @MaxLength(5) label: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() note?: string | null;
}

class ThingDto {
  @ApiProperty() @IsString() @MaxLength(4) name: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() count?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsInt() parentId?: number | null;
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsInt({ each: true }) ids?: number[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsString({ each: true }) @MaxLength(2, { each: true }) tags?: string[];
  @ApiPropertyOptional({ type: InnerDto }) @IsOptional() @ValidateNested() @Type(() => InnerDto) inner?: InnerDto;
}

class ThingChangeDto extends PartialType(ThingDto) {}

const pipe = new CrmValidationPipe();
const run = (value: unknown, metatype: Function = ThingChangeDto) => pipe.transform(value, { type: 'body', metatype: metatype as never });
/** `[field, rule]` of each error the pipe answers, or [] when it accepts. */
const refusals = async (value: unknown, metatype?: Function): Promise<[string, string][]> => {
  try {
    await run(value, metatype);
    return [];
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    return (error.details.errors as { field: string; rule: string }[]).map((e) => [e.field, e.rule]);
  }
};

describe('CrmValidationPipe', () => {
  it('refuses null where the document does not say nullable, also through PartialType and in nested objects', async () => {
    await expect(refusals({ name: null })).resolves.toEqual([['name', 'required']]);
    await expect(refusals({ count: null, ids: null })).resolves.toEqual([['count', 'required'], ['ids', 'required']]);
    await expect(refusals({ parentId: null, inner: { label: 'a', note: null } })).resolves.toEqual([]);
    await expect(refusals({ inner: { label: null } })).resolves.toEqual([['inner.label', 'maxLength'], ['inner.label', 'isString']]);
    await expect(refusals({ name: null }, ThingDto)).resolves.toEqual([['name', 'maxLength'], ['name', 'isString']]);
  });

  it('counts characters as a utf8mb4 column does: code points, variation selectors included', async () => {
    await expect(refusals({ name: '\u2764\uFE0F\u2764\uFE0F\u2764' })).resolves.toEqual([['name', 'maxLength']]);
    await expect(refusals({ name: '\u{1F697}\u{1F697}\u{1F697}\u{1F697}' })).resolves.toEqual([]);
    await expect(refusals({ tags: ['ok', 'a\uFE0Fb'] })).resolves.toEqual([['tags', 'maxLength']]);
  });

  it('keeps integers within the INT columns', async () => {
    await expect(refusals({ count: 2 ** 31 - 1, ids: [-(2 ** 31)] })).resolves.toEqual([]);
    await expect(refusals({ count: 2 ** 31 })).resolves.toEqual([['count', 'max']]);
    await expect(refusals({ ids: [1, -(2 ** 31) - 1] })).resolves.toEqual([['ids', 'min']]);
  });

  it('refuses text that is not well-formed Unicode before any rule sees it, by its path', async () => {
    await expect(refusals({ name: 'a\uD800' })).resolves.toEqual([['name', 'wellFormed']]);
    await expect(refusals({ tags: ['ok', '\uDC00'], inner: { label: 'x\u0000' } })).resolves.toEqual([['tags.1', 'wellFormed'], ['inner.label', 'wellFormed']]);
    await expect(refusals({ name: '\u{1F697}' })).resolves.toEqual([]);
  });

  it('refuses nesting past the bound, naming the top-level field, without overflowing the stack', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await expect(refusals({ tags: deep })).resolves.toEqual([['tags', 'maxDepth']]);
    await expect(refusals(deep)).resolves.toEqual([['body', 'maxDepth']]);
    await expect(refusals({ inner: { label: 'a' } })).resolves.toEqual([]);
  });
});

describe('isCalendarDate', () => {
  it.each(['2026-01-31', '2028-02-29', '2026-12-31T23:59:59Z', '2026-06-01T09:30', '2026-06-01T09:30:00.123456+02:00'])('takes %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });
  it.each(['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-W05', '2026-060', '+002026-01-01', '0000-01-01', '2026-01-01T24:00:00Z', '2026-1-1', ''])(
    'refuses %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );
});
