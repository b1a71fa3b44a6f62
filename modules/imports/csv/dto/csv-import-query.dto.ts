import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DryRunQueryDto } from '../../../core/http/dry-run-query.dto';
import { COMMON_CSV_ENCODINGS } from '../csv-encoding';
import { CSV_DELIMITERS, type CsvDelimiterName } from '../csv-reader';

/** How a CSV upload is read; what is left out is detected. */
export class CsvImportQueryDto extends DryRunQueryDto {
  @ApiPropertyOptional({
    maxLength: 40,
    example: 'windows-1251',
    description: `The file's character encoding, e.g. ${COMMON_CSV_ENCODINGS.join(', ')}. Left out: its byte order mark, else UTF-8 when the whole file is valid UTF-8, else detected from its bytes. A file that is not valid in it is refused (400)`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'encoding must be an encoding name such as utf-8 or windows-1251' })
  encoding?: string;

  @ApiPropertyOptional({
    enum: Object.keys(CSV_DELIMITERS),
    description: 'What separates the fields. Left out: whichever of comma, semicolon and tab makes the header name the most known columns',
  })
  @IsOptional()
  @IsIn(Object.keys(CSV_DELIMITERS))
  delimiter?: CsvDelimiterName;
}
