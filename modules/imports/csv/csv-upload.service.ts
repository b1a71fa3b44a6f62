import { Injectable } from '@nestjs/common';
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CrmError } from '../../core/errors/crm-error';
import { headerProblems } from './csv-columns';
import { toUtf8Csv } from './csv-encoding';
import { delimiterName, readHeader, type CsvDelimiter } from './csv-reader';

/** How the caller says the file was written; each is detected when left out. */
export interface CsvFormat {
  encoding?: string;
  delimiter?: CsvDelimiter;
}

/** An uploaded CSV saved to a temporary UTF-8 file (the caller removes it), with the encoding and delimiter it is read with. */
export interface ReceivedCsv {
  path: string;
  /** The file's name as the client sent it, if it did. */
  fileName: string | null;
  bytes: number;
  encoding: string;
  delimiter: CsvDelimiter;
}

/**
 * Streams a multipart upload's `file` field to a temporary file as it arrives (never the whole
 * file in memory), makes it UTF-8 (refusing a file not valid in its encoding), then checks its
 * header row, so a wrong file is refused before a run starts.
 */
@Injectable()
export class CsvUploadReceiver {
  async receive(request: IncomingMessage, maxBytes: number, format: CsvFormat = {}): Promise<ReceivedCsv> {
    if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
      throw CrmError.invalidField('file', 'multipart', 'upload the CSV as multipart/form-data, in a field named file');
    }
    let path = join(tmpdir(), `crm-import-${randomUUID()}.csv`);
    try {
      const { bytes, fileName } = await this.save(request, path, maxBytes);
      const utf8 = await toUtf8Csv(path, format.encoding);
      path = utf8.path;
      const delimiter = await this.checkHeader(path, format.delimiter);
      return { path, fileName, bytes, encoding: utf8.encoding, delimiter };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  private save(request: IncomingMessage, path: string, maxBytes: number): Promise<{ bytes: number; fileName: string | null }> {
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
      let fileName: string | null = null;
      form.on('file', (field, stream, info) => {
        if (field !== 'file' || written) {
          refusal ??= CrmError.invalidField(field, 'unknownField', `send one CSV in a field named file (got ${field})`);
          stream.resume();
          return;
        }
        fileName = info.filename || null;
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
        stream.on('limit', () => (refusal = CrmError.invalidField('file', 'maxSize', `the file is larger than ${maxBytes} bytes`)));
        written = pipeline(stream, createWriteStream(path)).then(() => bytes);
        written.catch(() => undefined);
      });
      form.on('error', (error) => reject(CrmError.invalidField('file', 'multipart', `the upload could not be read: ${(error as Error).message}`)));
      form.on('close', () => {
        if (!written) return reject(refusal ?? CrmError.invalidField('file', 'required', 'a CSV file is required, in a field named file'));
        written.then((bytes) => (refusal ? reject(refusal) : resolve({ bytes, fileName })), reject);
      });
      request.pipe(form);
    });
  }

  /** The delimiter the header is read with, once it names known columns. */
  private async checkHeader(path: string, requested: CsvDelimiter | undefined): Promise<CsvDelimiter> {
    const { delimiter, header } = await readHeader(path, requested);
    const problems = headerProblems(header);
    if (problems.length) {
      throw CrmError.invalidField('file', 'columns', `the CSV header is wrong (read with delimiter ${delimiterName(delimiter)}): ${problems.join('; ')}`);
    }
    return delimiter;
  }
}
