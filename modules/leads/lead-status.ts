/** Where a lead is in its life: worked on, then qualified, then converted to a customer or lost. */
export const LEAD_STATUSES = ['new', 'in_progress', 'qualified', 'converted', 'lost'] as const;

export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Column labels of the status board. */
export const LEAD_STATUS_LABELS: Readonly<Record<LeadStatus, string>> = {
  new: 'New',
  in_progress: 'In progress',
  qualified: 'Qualified',
  converted: 'Converted',
  lost: 'Lost',
};

/** Converted and lost leads are closed: only managers still edit them. */
export function isClosedStatus(status: LeadStatus): boolean {
  return status === 'converted' || status === 'lost';
}
