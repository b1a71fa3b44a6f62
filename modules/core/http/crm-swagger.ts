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

/** The name of the intake API key's security scheme, as the intake route refers to it (`@ApiSecurity`). */
export const CRM_INTAKE_API_KEY_SCHEME = 'intake-api-key';

/** The header the intake API key is sent in. */
export const CRM_INTAKE_API_KEY_HEADER = 'X-Api-Key';

/** The name of the scheme every `@Authorized` CRM route refers to (`@ApiBearerAuth()`'s default). */
export const CRM_BEARER_SCHEME = 'bearer';

type SecurityScheme = Parameters<DocumentBuilder['addSecurity']>[1];

/**
 * The security schemes CRM routes refer to, by name, for a host's Swagger document: the intake API key in
 * `X-Api-Key`, and `bearer`, the user authentication every other CRM route is documented with (the host
 * authenticates; a host documenting its own scheme under that name afterwards, `addBearerAuth()`, replaces it).
 */
export const CRM_SECURITY_SCHEMES = {
  [CRM_BEARER_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    description: "The host application's own user authentication; the CRM reads the caller the host authenticated",
  },
  [CRM_INTAKE_API_KEY_SCHEME]: {
    type: 'apiKey',
    in: 'header',
    name: CRM_INTAKE_API_KEY_HEADER,
    description: 'Lead intake API key, for `POST …/intake/leads` (keys are issued under `…/intake/keys`)',
  },
} as const satisfies Record<string, SecurityScheme>;

/**
 * Adds what the CRM's routes need to a host's Swagger document: the CRM's tags, ordered and described, and the
 * security schemes its routes refer to (`CRM_SECURITY_SCHEMES`), without which the document fails OpenAPI lint
 * (`security-defined`) and Swagger UI cannot authorize the intake call. Call it first: what the host adds
 * afterwards under the same name (its own `addBearerAuth()`) replaces the CRM's default.
 *
 * @example
 * const config = addCrmSwagger(new DocumentBuilder()).setTitle('My app').addBearerAuth().build();
 * SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, config));
 */
export function addCrmSwagger(builder: DocumentBuilder): DocumentBuilder {
  for (const tag of CRM_API_TAGS) builder.addTag(tag.name, tag.description);
  for (const [name, scheme] of Object.entries(CRM_SECURITY_SCHEMES)) builder.addSecurity(name, { ...scheme });
  return builder;
}
