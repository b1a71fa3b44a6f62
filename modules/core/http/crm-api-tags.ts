import type { DocumentBuilder } from '@nestjs/swagger';

/**
 * The CRM's Swagger tags, in the order an admin meets them: the source catalogue first, then the records that
 * carry sources, reporting and intake, and last the directory and the small lists the records point at.
 */
export const CRM_API_TAGS = [
  { name: 'Lead and customer sources', description: 'The catalogue of where leads and customers come from: create, edit, archive, restore, merge and delete sources' },
  { name: 'Leads', description: 'Enquiries from potential customers: create and qualify them, find them on the list or the board, convert them to customers' },
  { name: 'Customers', description: 'Established customers and the source that brought them' },
  { name: 'Opportunities', description: 'Deals with a lead or a customer, moved through the stages on the pipeline board' },
  { name: 'Reports', description: 'Marketing attribution: leads, customers, opportunities and won amounts per source, as JSON or CSV' },
  { name: 'Lead intake', description: 'Automatic lead intake over REST with an intake API key, the keys themselves, and the submissions it rejected' },
  { name: 'Imports', description: "CSV import of leads, the scheduled sync of the distributor's quotations and test drives, and the runs both leave" },
  { name: 'People and teams', description: 'The users who own records and the teams incoming leads are routed to' },
  { name: 'Companies and contacts', description: 'Companies (partner companies among them) and the people who work there' },
  { name: 'Sales directions', description: 'The managed list of sales directions a lead belongs to' },
  { name: 'Products and services', description: 'The managed list of products and services a lead is interested in' },
  { name: 'Marketing campaigns', description: 'The managed list of marketing campaigns that attract leads' },
  { name: 'Content distribution channels', description: 'The managed list of channels the content that brought a lead went out on' },
] as const satisfies readonly { name: string; description: string }[];

export type CrmApiTag = (typeof CRM_API_TAGS)[number]['name'];

/** Adds the CRM's tags, ordered and described, to a host's Swagger document (`addCrmApiTags(new DocumentBuilder())...build()`). */
export function addCrmApiTags(builder: DocumentBuilder): DocumentBuilder {
  for (const tag of CRM_API_TAGS) builder.addTag(tag.name, tag.description);
  return builder;
}
