import { detect as detectCharset } from 'chardet';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CrmError } from '../../core/errors/crm-error';

/** Bytes read from the start of a file to tell its encoding (and its header line). */
const SAMPLE_BYTES = 64 * 1024;

/** The encodings named in messages; any other that iconv-lite knows may be given too. */
export const COMMON_CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1251', 'windows-1252', 'iso-8859-1', 'koi8-r'];

/** The file an import reads: always UTF-8 (perhaps with a BOM), and the encoding it was uploaded in. */
export interface Utf8Csv {
  path: string;
  encoding: string;
}

/**
 * Makes an uploaded CSV UTF-8: the encoding is the one `requested`, or its byte order mark's, or
 * UTF-16 when every other byte is a NUL, or UTF-8 when the whole file is valid UTF-8, or else what
 * chardet tells from its first 64 KiB (ISO-8859-1 read as its superset Windows-1252). A file in
 * another encoding is transcoded (streamed) to a new temporary file, and the upload removed. A file
 * that is not valid in its encoding is refused (400) with the line where it stops being so, before
 * any row is taken: a wrong guess must not import `"������"` and report success.
 */
export async function toUtf8Csv(path: string, requested: string | undefined): Promise<Utf8Csv> {
  const encoding = requested ? knownEncoding(requested) : await detectEncoding(path);
  if (encoding === 'utf-8') {
    await assertUtf8(path, requested !== undefined);
    return { path, encoding };
  }
  const target = join(dirname(path), `crm-import-${randomUUID()}.csv`);
  try {
    await pipeline(createReadStream(path), iconv.decodeStream(encoding), new ValidText(encoding), createWriteStream(target));
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
  await rm(path, { force: true });
  return { path: target, encoding };
}

/** The canonical name of a requested encoding, or a 400 naming the common ones. */
function knownEncoding(requested: string): string {
  const name = requested.trim().toLowerCase();
  if (!iconv.encodingExists(name)) {
    throw CrmError.invalidField('encoding', 'isIn', `encoding ${requested} is not known; use one of ${COMMON_CSV_ENCODINGS.join(', ')} (or leave it out to have it detected)`);
  }
  return ['utf8', 'utf-8', 'unicode-1-1-utf-8'].includes(name) ? 'utf-8' : name;
}

async function detectEncoding(path: string): Promise<string> {
  const sample = await head(path, SAMPLE_BYTES);
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  if (await isUtf8File(path)) return 'utf-8';
  const cyrillic = cyrillicSingleByte(sample);
  if (cyrillic) return cyrillic;
  const detected = detectCharset(sample)?.toLowerCase();
  if (detected && detected !== 'utf-8' && iconv.encodingExists(detected)) return detected === 'iso-8859-1' ? 'windows-1252' : detected;
  throw CrmError.invalidField('file', 'encoding', `the file is not valid UTF-8 and its encoding could not be told; name it with encoding (${COMMON_CSV_ENCODINGS.join(', ')}), or save the file as UTF-8`);
}

/** A CSV never holds NUL characters, so text whose odd (or even) bytes are mostly NUL is UTF-16 without a BOM. */
function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenNul += 1;
    if (sample[i + 1] === 0) oddNul += 1;
  }
  if (oddNul > pairs * 0.3 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs * 0.3 && oddNul === 0) return 'utf-16be';
  return undefined;
}

/**
 * chardet takes a short Russian file in Windows-1251 for French in ISO-8859-1 (the bytes are
 * letters in both), which is the usual CSV export of a Russian Excel. Cyrillic words are made of
 * high bytes only, where Western ones hold an accented letter between ASCII ones: when most high
 * bytes (0xC0-0xFF) stand next to another, the text is Cyrillic, and mostly lowercase, which is
 * 0xE0-0xFF in Windows-1251 and 0xC0-0xDF in KOI8-R.
 */
function cyrillicSingleByte(sample: Buffer): 'windows-1251' | 'koi8-r' | undefined {
  let letters = 0;
  let paired = 0;
  let upperHalf = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] < 0xc0) continue;
    letters += 1;
    if (sample[i] >= 0xe0) upperHalf += 1;
    if ((i > 0 && sample[i - 1] >= 0xc0) || (i + 1 < sample.length && sample[i + 1] >= 0xc0)) paired += 1;
  }
  if (letters < 4 || paired < letters * 0.6) return undefined;
  return upperHalf >= letters / 2 ? 'windows-1251' : 'koi8-r';
}

async function head(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Whether the whole file is valid UTF-8, decoded as a stream (memory stays flat whatever its size). */
async function isUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

async function assertUtf8(path: string, named: boolean): Promise<void> {
  if (await isUtf8File(path)) return;
  const line = await firstInvalidUtf8Line(path);
  const hint = named ? 'name the encoding it was saved in' : 'name its encoding';
  throw CrmError.invalidField('file', 'encoding', `the file is not valid UTF-8 (line ${line} holds bytes UTF-8 does not allow): ${hint} with encoding (${COMMON_CSV_ENCODINGS.join(', ')}), or save the file as UTF-8`);
}

/** The 1-based line of the first invalid UTF-8 byte (a line feed never occurs inside a UTF-8 sequence, so lines can be checked one by one). */
async function firstInvalidUtf8Line(path: string): Promise<number> {
  let line = 1;
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    let data = Buffer.concat([pending, chunk as Buffer]);
    for (let feed = data.indexOf(0x0a); feed !== -1; feed = data.indexOf(0x0a)) {
      if (!isUtf8(data.subarray(0, feed))) return line;
      line += 1;
      data = data.subarray(feed + 1);
    }
    // A line this long is reported as it is rather than held in memory.
    if (data.length > 8 * 1024 * 1024) return line;
    pending = Buffer.from(data);
  }
  return line;
}

/**
 * Passes decoded text on, refusing it at the first character its encoding does not have: iconv-lite
 * decodes such bytes as U+FFFD, and UTF-16 may hold a surrogate without its pair.
 */
class ValidText extends Transform {
  private line = 1;
  private held = '';

  constructor(private readonly encoding: string) {
    super({ decodeStrings: false, encoding: 'utf8' });
  }

  override _transform(chunk: string, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = this.held + chunk;
    this.held = '';
    // A pair split between two chunks is judged whole.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.held = text.slice(-1);
      text = text.slice(0, -1);
    }
    const invalid = INVALID_TEXT.exec(text);
    if (invalid) return done(this.refusal(this.line + countLines(text.slice(0, invalid.index))));
    this.line += countLines(text);
    done(null, text);
  }

  override _flush(done: TransformCallback): void {
    if (this.held) return done(this.refusal(this.line));
    done();
  }

  private refusal(line: number): CrmError {
    return CrmError.invalidField('file', 'encoding', `the file is not valid ${this.encoding} (line ${line} holds bytes ${this.encoding} does not have): name the encoding it was saved in with encoding (${COMMON_CSV_ENCODINGS.join(', ')}), or save the file as UTF-8`);
  }
}

const INVALID_TEXT = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}
