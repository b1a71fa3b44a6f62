/** The sales pipeline, in board order. `won` and `lost` close an opportunity. */
export const OPPORTUNITY_STAGES = ['new', 'qualification', 'proposal', 'negotiation', 'won', 'lost'] as const;

export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

export const OPPORTUNITY_STAGE_LABELS: Readonly<Record<OpportunityStage, string>> = {
  new: 'New',
  qualification: 'Qualification',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  won: 'Won',
  lost: 'Lost',
};

export function isClosedStage(stage: OpportunityStage): boolean {
  return stage === 'won' || stage === 'lost';
}
