import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
// The router alone: the package's index loads an ESM-only dependency jest cannot require.
import { OpenAPIRouter } from 'openapi-backend/router';
import type { OpenAPIV3 } from 'openapi-types';
import type request from 'supertest';

/** What the check needs of a response (supertest's `Response` has it). */
export interface CheckedResponse {
  status: number;
  type: string;
  text?: string;
  body: unknown;
}

/**
 * Checks real responses against the OpenAPI document the host serves, so a schema that drifts from what the
 * API answers fails the test that got the answer. Ajv validates the JSON bodies against the document's own
 * schemas (OpenAPI 3.0's `nullable` included), with one strictness added: an object schema lists every
 * property a response carries (`additionalProperties: false` where the schema says nothing), because a
 * field the document does not name is invisible to generated clients. A status the operation does not
 * document, or a media type it does not declare for that status, fails too.
 */
export class OpenApiResponseCheck {
  private readonly ajv: Ajv;
  private readonly router: OpenAPIRouter;
  private readonly validators = new Map<string, ValidateFunction>();
  /** Where each schema object sits in the document, to name the schema an error comes from. */
  private readonly pointers = new Map<object, string>();
  /** Responses checked so far (every one matched an operation of the document). */
  checked = 0;

  constructor(document: OpenAPIV3.Document) {
    const strict = closeObjectSchemas(structuredClone(document));
    indexPointers(strict, '#', this.pointers);
    // verbose: each error carries the schema object it broke, which `pointers` names.
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
    addFormats(this.ajv);
    this.ajv.addSchema(strict as object, 'doc');
    this.router = new OpenAPIRouter({ definition: document as never });
  }

  /** Adds the check to a supertest request: it runs after the test's own expectations, on the response they saw. */
  attach(test: request.Test): request.Test {
    const end = test.end.bind(test);
    test.end = (callback) => {
      test.expect((res) => this.check(test.method, test.url, res));
      return end(callback);
    };
    return test;
  }

  /** Throws an error naming the operation, the status and the schema paths a response breaks. */
  check(method: string, url: string, res: CheckedResponse): void {
    const { pathname } = new URL(url, 'http://host');
    const operation = this.router.matchOperation({ method, path: pathname, headers: {} } as never);
    // Outside the CRM's documented operations (Swagger UI itself, a route that does not exist): nothing to check.
    if (!operation) return;
    this.checked++;
    const route = `${method.toUpperCase()} ${operation.path} (${operation.operationId})`;
    const fail = (why: string) => {
      throw new Error(`OpenAPI drift: ${route} answered ${res.status}: ${why}`);
    };
    const responses = operation.responses ?? {};
    const status = String(res.status);
    const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (!documented) return fail(`the document lists only ${Object.keys(responses).join(', ')}`);
    if ('$ref' in documented) return fail('response references are not used by this document');
    const content = documented.content ?? {};
    const empty = res.status === 204 || res.status === 304 || !res.text;
    if (empty) {
      if (Object.keys(content).length > 0) fail(`an empty body, but the document declares ${Object.keys(content).join(', ')}`);
      return;
    }
    const media = content[res.type];
    if (!media) return fail(`${res.type}, but the document declares ${Object.keys(content).join(', ') || 'no content'} for it`);
    if (res.type !== 'application/json') {
      const schema = media.schema as OpenAPIV3.SchemaObject | undefined;
      if (schema && ('$ref' in schema || schema.type !== 'string')) fail(`${res.type} text, but the document gives it a JSON schema`);
      return;
    }
    const pointer = ['paths', operation.path, operation.method, 'responses', documented === responses[status] ? status : status[0] + 'XX', 'content', res.type, 'schema']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const validate = this.validator(pointer);
    if (!validate(res.body)) fail(`the body does not match the document:\n${this.describe(validate.errors ?? [])}`);
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `doc#/${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  private describe(errors: ErrorObject[]): string {
    return errors
      .slice(0, 10)
      .map((e) => {
        const detail = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : e.keyword === 'enum' ? ` ${JSON.stringify(e.params.allowedValues)}` : '';
        const at = (e.parentSchema && this.pointers.get(e.parentSchema)) ?? e.schemaPath.replace(/\/[^/]*$/, '');
        return `  body${e.instancePath} ${e.message}${detail} — schema ${at}/${e.keyword}`;
      })
      .join('\n');
  }
}

function indexPointers(node: unknown, pointer: string, into: Map<object, string>): void {
  if (!node || typeof node !== 'object') return;
  into.set(node, pointer);
  for (const [key, value] of Object.entries(node)) indexPointers(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, into);
}

/** Every object schema with properties and no word on others refuses others (in place). */
function closeObjectSchemas(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closeObjectSchemas);
  else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === undefined && schema.type === 'object') schema.additionalProperties = false;
    Object.values(schema).forEach(closeObjectSchemas);
  }
  return node;
}
