/**
 * Applies a Swagger method decorator (`ApiHeader`, `ApiParam`) to the handler a parameter decorator sits on,
 * so a parameter that reads a header or a path segment documents itself wherever it is used.
 */
export function documentOnHandler(doc: MethodDecorator, target: object, key: string | symbol | undefined): void {
  if (key === undefined) throw new Error('A documented parameter decorator belongs on a handler, not a constructor');
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) throw new Error(`No handler ${String(key)} to document`);
  doc(target, key, descriptor);
}
