/** The reference registry's target for records that point at a lead (a customer converted from it, its opportunities). */
export const LEAD_REFERENCE = 'lead';
