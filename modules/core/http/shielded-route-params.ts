import { Injectable, type ArgumentMetadata, type ExecutionContext, type Paramtype, type PipeTransform, type Type } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { CrmValidationPipe } from './crm-validation.pipe';

/*
 * Why this exists: Nest runs the host's global pipes before a controller's own, on every `@Body()`, `@Query()`
 * and `@Param()`, so a host's `ValidationPipe` would strip, convert or refuse CRM input by its own options and
 * answer with its own error body. It skips custom param decorators (`type: 'custom'`, unless the host sets
 * `validateCustomDecorators`), and a host pipe that respects that type leaves them alone too. So every such
 * CRM param is turned into a custom one here, whose own pipe runs the CRM's validation with the param's real
 * type. The metadata key keeps the param type first (`3:__customRouteArgs__:1` for a body at index 1): Nest
 * takes a key holding `__customRouteArgs__` for a custom param, whatever comes before, and @nestjs/swagger
 * reads the param's place (`in: body|query|path`) from the number before the first colon, so the document
 * stays as it was.
 */

/** Param types a pipe sees, by the route-arg type Nest stores. */
const SHIELDED: ReadonlyMap<number, Paramtype> = new Map([
  [RouteParamtypes.BODY, 'body'],
  [RouteParamtypes.QUERY, 'query'],
  [RouteParamtypes.PARAM, 'param'],
]);

/** Params Nest never runs pipes on. Any other kind (a file, the raw body, cookies) must be shielded before a CRM handler takes it. */
const NEVER_PIPED = new Set<number>([
  RouteParamtypes.REQUEST,
  RouteParamtypes.RESPONSE,
  RouteParamtypes.NEXT,
  RouteParamtypes.HEADERS,
  RouteParamtypes.SESSION,
  RouteParamtypes.HOST,
  RouteParamtypes.IP,
]);

interface RouteArg {
  index: number;
  data?: string;
  pipes?: (PipeTransform | Type<PipeTransform>)[];
  [other: string]: unknown;
}

/** A class decorator: every handler's body, query and path params are validated by the CRM alone. */
export function ShieldedRouteParams(): ClassDecorator {
  return (target) => {
    for (const method of Object.getOwnPropertyNames(target.prototype)) {
      const args: Record<string, RouteArg> | undefined = Reflect.getMetadata(ROUTE_ARGS_METADATA, target, method);
      if (args) Reflect.defineMetadata(ROUTE_ARGS_METADATA, shield(args, `${target.name}.${method}`), target, method);
    }
  };
}

function shield(args: Record<string, RouteArg>, handler: string): Record<string, RouteArg> {
  // Rebuilt in the same key order: @nestjs/swagger lists parameters in it.
  return Object.fromEntries(
    Object.entries(args).map(([key, arg]) => {
      if (key.includes(CUSTOM_ROUTE_ARGS_METADATA)) return [key, arg];
      const routeType = Number(key.split(':')[0]);
      const type = SHIELDED.get(routeType);
      if (!type) {
        if (NEVER_PIPED.has(routeType)) return [key, arg];
        throw new Error(`${handler}: its param ${arg.index} (route-arg type ${routeType}) would reach the host's pipes; shield that kind here first`);
      }
      const own = (arg.pipes ?? []).map((pipe) => {
        if (typeof pipe === 'function') throw new Error(`${handler}: param pipes of CRM handlers are instances (got the class ${pipe.name})`);
        return pipe;
      });
      const shielded: RouteArg = { ...arg, factory: extractor(routeType), pipes: [paramPipe(type, own)] };
      return [`${routeType}:${CUSTOM_ROUTE_ARGS_METADATA}:${arg.index}`, shielded];
    }),
  );
}

/** Reads the param from the request as Nest does for `@Body()`, `@Query()` and `@Param()`. */
function extractor(routeType: number) {
  return (data: string | undefined, context: ExecutionContext): unknown => {
    const request = context.switchToHttp().getRequest();
    const source = routeType === RouteParamtypes.BODY ? request.body : routeType === RouteParamtypes.QUERY ? request.query : request.params;
    if (!data || source == null) return source;
    // `@Body('x')` of an array or a primitive body takes only an own property, never a prototype member (as Nest does).
    const isRecord = typeof source === 'object' && !Array.isArray(source) && !ArrayBuffer.isView(source);
    return isRecord || Object.hasOwn(Object(source), data) ? source[data] : undefined;
  };
}

const plainPipes = new Map<Paramtype, Type<PipeTransform>>();

/**
 * The pipe of one shielded param: the CRM's validation, then the param's own pipes (e.g. `IdParam`'s
 * ParseIntPipe), each told the param's real type. A class, so that Nest resolves the CRM's pipe by injection.
 */
function paramPipe(type: Paramtype, own: PipeTransform[]): Type<PipeTransform> {
  const known = own.length === 0 ? plainPipes.get(type) : undefined;
  if (known) return known;
  @Injectable()
  class CrmParamPipe implements PipeTransform {
    constructor(private readonly validation: CrmValidationPipe) {}

    async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
      const real = { ...metadata, type };
      let result = await this.validation.transform(value, real);
      for (const pipe of own) result = await pipe.transform(result, real);
      return result;
    }
  }
  if (own.length === 0) plainPipes.set(type, CrmParamPipe);
  return CrmParamPipe;
}
