import type { NextFunction, Request, Response } from 'express';
import type { DemoToken } from './demo-tokens';

/**
 * The demo host's authentication: `Authorization: Bearer <token>` sets `request.user`.
 * An unknown token leaves the request anonymous; the CRM then answers 401.
 */
export function demoAuthMiddleware(tokens: DemoToken[]) {
  const byToken = new Map(tokens.map((t) => [t.token, t.user]));
  return (request: Request & { user?: unknown }, _response: Response, next: NextFunction): void => {
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    const user = match ? byToken.get(match[1]) : undefined;
    if (user) request.user = user;
    next();
  };
}
