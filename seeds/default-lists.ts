/**
 * The sales direction a fresh install files imported leads under. A lead needs a sales direction, and the
 * distributor sync stamps the two protected `source_web_*` sources: without a default, every imported record
 * would be refused until a manager configured one.
 */
export const DEFAULT_SALES_DIRECTION = { kind: 'sales_direction', code: 'general', name: 'General', sequence: 10 } as const;

/** Sources whose imported leads go to the default sales direction unless a manager picks another. */
export const SOURCES_WITH_DEFAULT_DIRECTION = ['source_web_quotation', 'source_web_test_drive'] as const;
