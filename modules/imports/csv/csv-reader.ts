import { parse, type CsvError, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { CSV_COLUMNS, normalizeHeader, type CsvColumn } from './csv-columns';

/** The delimiters a CSV may use, by the name the upload takes. */
export const CSV_DELIMITERS = { comma: ',', semicolon: ';', tab: '\t' } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[CsvDelimiterName];

/** The longest row taken, in bytes: every field of a lead together is far shorter; a longer row is refused alone. */
export const CSV_MAX_ROW_BYTES = 64 * 1024;

/**
 * Bytes parsed at a time. The rows of a chunk wait together while they are taken one by one, so a
 * small chunk lets them die young (64 KiB chunks held ~600 rows; the dry run's peak was 14 MB higher).
 */
const READ_CHUNK_BYTES = 8 * 1024;

/** One data row and where it was in the file (1 = the first row after the header). */
export interface CsvRow {
  rowNumber: number;
  values: Partial<Record<CsvColumn, string>>;
}

/** A data row that could not be read as it is: the reason in our words, and what of it could be read. */
export class CsvRowProblem {
  constructor(
    readonly rowNumber: number,
    readonly reason: string,
    readonly values: Partial<Record<CsvColumn, string>> = {},
  ) {}
}

export function delimiterName(delimiter: CsvDelimiter): CsvDelimiterName {
  return (Object.keys(CSV_DELIMITERS) as CsvDelimiterName[]).find((name) => CSV_DELIMITERS[name] === delimiter)!;
}

/**
 * The header row and the delimiter it is read with: the one requested, or else whichever of comma,
 * semicolon and tab finds the most known columns (Excel saves with `;` in many locales), comma
 * when none does. `path` is UTF-8 (see `toUtf8Csv`).
 */
export async function readHeader(path: string, requested?: CsvDelimiter): Promise<{ delimiter: CsvDelimiter; header: string[] }> {
  const line = await firstLine(path);
  const read = (delimiter: CsvDelimiter) => ({ delimiter, header: headerFields(line, delimiter) });
  if (requested) return read(requested);
  const candidates = Object.values(CSV_DELIMITERS).map(read);
  const known = (header: string[]) => header.filter((h) => normalizeHeader(h) in CSV_COLUMNS).length;
  return candidates.reduce((best, next) => (known(next.header) > known(best.header) ? next : best));
}

function headerFields(line: string, delimiter: CsvDelimiter): string[] {
  try {
    const [fields] = parseSync(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return fields ?? [];
  } catch {
    return line.split(delimiter);
  }
}

async function firstLine(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CSV_MAX_ROW_BYTES);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    // Leading blank lines are skipped by the reader too.
    const start = text.search(/[^\r\n]/);
    if (start === -1) return '';
    const rest = text.slice(start);
    const end = rest.search(/\r?\n/);
    return end === -1 ? rest : rest.slice(0, end);
  } finally {
    await file.close();
  }
}

/**
 * Every data row of a UTF-8 CSV, in order. A row that has more non-empty fields than the header
 * (an unquoted delimiter inside a value), fewer fields, a malformed quote or more than
 * `CSV_MAX_ROW_BYTES` is answered as a `CsvRowProblem` and reading goes on with the next line.
 *
 * csv-parse stops at its first error (and drops the rows it had read in the same chunk), so rows
 * are taken as it reads them (`on_record`), and after an error a new parser starts on the line
 * after the one where the bad row began.
 */
export async function* readCsvRows(path: string, delimiter: CsvDelimiter): AsyncGenerator<CsvRow | CsvRowProblem> {
  const size = (await stat(path)).size;
  let header: (CsvColumn | null)[] | undefined;
  let rowNumber = 0;
  let start = 0;
  while (start < size) {
    const feed = new RecordFeed(delimiter, start === 0);
    let end = start;
    let failure: CsvError | undefined;
    const source = createReadStream(path, { start, highWaterMark: READ_CHUNK_BYTES });
    try {
      for await (const chunk of source) {
        failure = await feed.write(chunk as Buffer);
        for (const record of feed.take()) {
          end = start + record.end;
          if (!header) header = record.fields.map((h) => columnOf(h));
          else yield toRow(++rowNumber, header, record.fields, delimiter);
        }
        if (failure) break;
      }
      if (!failure) {
        failure = await feed.end();
        for (const record of feed.take()) {
          if (!header) header = record.fields.map((h) => columnOf(h));
          else yield toRow(++rowNumber, header, record.fields, delimiter);
        }
        if (!failure) return;
      }
    } finally {
      source.destroy();
    }
    if (!header) throw new Error(`The header row could not be read: ${problemOf(failure)}`);
    yield new CsvRowProblem(++rowNumber, problemOf(failure));
    start = await nextLineStart(path, end);
  }
}

/** The column a header cell names, or null for one we ignore (unknown ones were refused at upload). */
function columnOf(header: string): CsvColumn | null {
  const name = normalizeHeader(header);
  return name in CSV_COLUMNS ? (name as CsvColumn) : null;
}

function toRow(rowNumber: number, header: (CsvColumn | null)[], fields: string[], delimiter: CsvDelimiter): CsvRow | CsvRowProblem {
  const values: Partial<Record<CsvColumn, string>> = {};
  for (let i = 0; i < header.length && i < fields.length; i++) {
    const column = header[i];
    if (column && fields[i] !== '') values[column] = fields[i];
  }
  if (fields.length < header.length) {
    return new CsvRowProblem(rowNumber, `the row has ${fields.length} fields but the header has ${header.length}: a field is missing`, values);
  }
  // Trailing empty fields (a delimiter at the end of the line) lose nothing.
  if (fields.slice(header.length).some((field) => field !== '')) {
    return new CsvRowProblem(
      rowNumber,
      `the row has ${fields.length} fields but the header has ${header.length}: a value holding the delimiter (${delimiterName(delimiter)}) must be put in double quotes`,
      values,
    );
  }
  return { rowNumber, values };
}

/** csv-parse's complaint about a row, in our words. */
function problemOf(error: CsvError): string {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${CSV_MAX_ROW_BYTES} bytes, far more than a lead's fields hold`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'the row has a malformed quote: a value in double quotes must end with a double quote followed by the delimiter or the end of the line (write a double quote inside a value as "")';
    case 'INVALID_OPENING_QUOTE':
      return 'the row has a malformed quote: a double quote inside a value must be written "" and the value put in double quotes';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'the row has a malformed quote: a value opened with a double quote is never closed';
    default:
      return 'the row is not valid CSV';
  }
}

/** The offset of the line after the one that starts at (or after blank lines from) `from`; the file size when there is none. */
async function nextLineStart(path: string, from: number): Promise<number> {
  let offset = from;
  let inLine = false;
  const source = createReadStream(path, { start: from, highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      for (let i = 0; i < bytes.length; i++) {
        const byte = bytes[i];
        if (byte === 0x0a && inLine) return offset + i + 1;
        if (byte !== 0x0a && byte !== 0x0d) inLine = true;
      }
      offset += bytes.length;
    }
  } finally {
    source.destroy();
  }
  return offset;
}

interface ParsedRecord {
  fields: string[];
  /** Offset (from the parser's start) just past the record's line break. */
  end: number;
}

/**
 * csv-parse's stream driven by hand: each chunk written is parsed at once, and the records it held
 * are taken as the parser pushes them (with the offset it has reached), so none is lost when a
 * later one in the chunk is malformed. Not through `on_record`: that builds an info object per
 * record by spreading another, and on Node 20 each such object gets a hidden class of its own, in
 * the old generation (the 1,000,000-row dry run peaked 90 MB higher: 283 MB against 191 MB).
 */
class RecordFeed {
  private parsed: ParsedRecord[] = [];
  private readonly parser: Parser;

  constructor(delimiter: CsvDelimiter, bom: boolean) {
    const parser = parse({ delimiter, bom, trim: true, skip_empty_lines: true, relax_column_count: true, max_record_size: CSV_MAX_ROW_BYTES });
    parser.push = (record: unknown) => {
      if (record !== null) this.parsed.push({ fields: record as string[], end: parser.info.bytes });
      return true;
    };
    parser.on('error', () => undefined);
    this.parser = parser;
  }

  write(chunk: Buffer): Promise<CsvError | undefined> {
    return new Promise((done) => this.parser.write(chunk, (error) => done((error as CsvError | null | undefined) ?? undefined)));
  }

  end(): Promise<CsvError | undefined> {
    return new Promise((done) => {
      this.parser.once('error', (error) => done(error as CsvError));
      this.parser.end(() => done(undefined));
    });
  }

  take(): ParsedRecord[] {
    const taken = this.parsed;
    this.parsed = [];
    return taken;
  }
}
