import 'reflect-metadata';
import { Body, Headers, Param, ParseIntPipe, Query, Req, UploadedFile, type ArgumentMetadata, type PipeTransform, type Type } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { Caller } from '../access/crm-access.decorators';
import type { CrmValidationPipe } from './crm-validation.pipe';
import { ShieldedRouteParams } from './shielded-route-params';

class SomeDto {}

@ShieldedRouteParams()
class SomeController {
  handle(
    @Caller() _caller: unknown,
    @Param('id', new ParseIntPipe()) _id: number,
    @Body() _body: SomeDto,
    @Query() _query: SomeDto,
    @Headers('if-match') _ifMatch: string,
    @Req() _request: unknown,
  ) {}
}

interface RouteArg {
  index: number;
  data?: string;
  pipes: Type<PipeTransform>[];
  factory?: unknown;
}

const args = (): Record<string, RouteArg> => Reflect.getMetadata(ROUTE_ARGS_METADATA, SomeController, 'handle');

describe('ShieldedRouteParams', () => {
  it('turns body, query and path params into custom ones keyed by their param type first, and leaves the rest', () => {
    const keys = Object.keys(args());
    // 3 body, 4 query, 5 param (RouteParamtypes); headers (6) and the request (0) never go through pipes.
    expect(keys).toEqual(expect.arrayContaining([`5:${CUSTOM_ROUTE_ARGS_METADATA}:1`, `3:${CUSTOM_ROUTE_ARGS_METADATA}:2`, `4:${CUSTOM_ROUTE_ARGS_METADATA}:3`, '6:4', '0:5']));
    expect(keys).toHaveLength(6);
    // In the order the decorators stored them (last param first): @nestjs/swagger lists parameters in it.
    expect(keys.map((key) => args()[key].index)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(args()[`5:${CUSTOM_ROUTE_ARGS_METADATA}:1`]).toMatchObject({ index: 1, data: 'id' });
  });

  it("runs the CRM's validation, then the param's own pipes, each with the param's real type", async () => {
    const seen: ArgumentMetadata[] = [];
    const validation = { transform: async (value: unknown, metadata: ArgumentMetadata) => (seen.push(metadata), value) } as unknown as CrmValidationPipe;
    const [PipeClass] = args()[`5:${CUSTOM_ROUTE_ARGS_METADATA}:1`].pipes;
    const pipe = new (PipeClass as new (validation: CrmValidationPipe) => PipeTransform)(validation);
    await expect(pipe.transform('12', { type: 'custom', metatype: Number, data: 'id' })).resolves.toBe(12);
    expect(seen).toEqual([{ type: 'param', metatype: Number, data: 'id' }]);
    await expect(pipe.transform('x', { type: 'custom', metatype: Number, data: 'id' })).rejects.toThrow();
  });

  it('refuses a handler param the host pipes would see that it cannot shield', () => {
    expect(() => {
      @ShieldedRouteParams()
      class UploadController {
        upload(@UploadedFile() _file: unknown) {}
      }
      return UploadController;
    }).toThrow(/UploadController\.upload: its param 0/);
  });
});
