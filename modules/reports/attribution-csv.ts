import { stringify } from 'csv-stringify/sync';
import type { AttributionReportDto, AttributionRowDto } from './dto/attribution-report.dto';

const COLUMNS: (keyof AttributionRowDto)[] = [
  'sourceId',
  'sourceCode',
  'sourceName',
  'sourceType',
  'count',
  'converted',
  'conversionRate',
  'opportunitiesWon',
  'wonAmount',
];

/** The report's rows as CSV: a header row, then one line per group (csv-stringify does the quoting). */
export function attributionCsv(report: AttributionReportDto): string {
  return stringify(report.rows, { header: true, columns: COLUMNS.map((key) => ({ key, header: key })) });
}
