import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';

/**
 * Answers `Accept: text/csv` with the CSV form of what the route returns; any other Accept keeps
 * the JSON. Errors are not touched (the exception filter answers them in JSON).
 */
@Injectable()
export class CsvResponseInterceptor<T> implements NestInterceptor<T, T | string> {
  constructor(
    private readonly toCsv: (body: T) => string,
    private readonly filename: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<T>): Observable<T | string> {
    const http = context.switchToHttp();
    const accept = String(http.getRequest().headers.accept ?? '');
    if (!/\btext\/csv\b/i.test(accept)) return next.handle();
    return next.handle().pipe(
      map((body) => {
        const response = http.getResponse();
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader('Content-Disposition', `attachment; filename="${this.filename}"`);
        return this.toCsv(body);
      }),
    );
  }
}
