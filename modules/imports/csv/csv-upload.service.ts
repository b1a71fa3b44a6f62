import { Injectable } from '@nestjs/common';
import busboy from 'busboy';
import { parse } from 'csv-parse';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CrmError } from '../../core/errors/crm-error';
import { headerProblems } from './csv-columns';

/** An uploaded CSV saved to a temporary file (the caller removes it). */
export interface ReceivedCsv {
  path: string;
  bytes: number;
}

/**
 * Streams a multipart upload's `file` field to a temporary file as it arrives (never the whole
 * file in memory), then checks its header row, so a wrong file is refused before a run starts.
 */
@Injectable()
export class CsvUploadReceiver {
  async receive(request: IncomingMessage, maxBytes: number): Promise<ReceivedCsv> {
    if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
      throw CrmError.invalidField('file', 'multipart', 'upload the CSV as multipart/form-data, in a field named file');
    }
    const path = join(tmpdir(), `crm-import-${randomUUID()}.csv`);
    try {
      const bytes = await this.save(request, path, maxBytes);
      await this.checkHeader(path);
      return { path, bytes };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  private save(request: IncomingMessage, path: string, maxBytes: number): Promise<number> {
    return new Promise((resolve, reject) => {
      let form: busboy.Busboy;
      try {
        form = busboy({ headers: request.headers, limits: { files: 1, fileSize: maxBytes, fields: 20 } });
      } catch (error) {
        // busboy refuses a content type it cannot read (multipart without a boundary, another type) when it is made.
        request.resume();
        return reject(CrmError.invalidField('file', 'multipart', `the upload could not be read: ${(error as Error).message}; send multipart/form-data with a boundary`));
      }
      let written: Promise<number> | undefined;
      let refusal: CrmError | undefined;
      form.on('file', (field, stream) => {
        if (field !== 'file' || written) {
          refusal ??= CrmError.invalidField(field, 'unknownField', `send one CSV in a field named file (got ${field})`);
          stream.resume();
          return;
        }
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
        stream.on('limit', () => (refusal = CrmError.invalidField('file', 'maxSize', `the file is larger than ${maxBytes} bytes`)));
        written = pipeline(stream, createWriteStream(path)).then(() => bytes);
        written.catch(() => undefined);
      });
      form.on('error', (error) => reject(CrmError.invalidField('file', 'multipart', `the upload could not be read: ${(error as Error).message}`)));
      form.on('close', () => {
        if (!written) return reject(refusal ?? CrmError.invalidField('file', 'required', 'a CSV file is required, in a field named file'));
        written.then((bytes) => (refusal ? reject(refusal) : resolve(bytes)), reject);
      });
      request.pipe(form);
    });
  }

  private async checkHeader(path: string): Promise<void> {
    const parser = createReadStream(path).pipe(parse({ bom: true, to_line: 1, relax_column_count: true, skip_empty_lines: true }));
    let header: string[] | undefined;
    try {
      for await (const row of parser) header ??= row as string[];
    } catch (error) {
      throw CrmError.invalidField('file', 'csv', `the file is not valid CSV: ${(error as Error).message}`);
    }
    const problems = headerProblems(header ?? []);
    if (problems.length) throw CrmError.invalidField('file', 'columns', `the CSV header is wrong: ${problems.join('; ')}`);
  }
}
