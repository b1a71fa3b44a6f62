/** Whether the CRM still does business with a customer. */
export const CUSTOMER_STATUSES = ['active', 'inactive'] as const;

export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
