/** What a person types into the new-deal form (Teams merges inputs into the action's data). */
export const contosoForm = {
  account: 'Contoso Bank',
  title: 'Azure migration assessment',
  serviceLines: 'Consulting,Premier Support',
  value: '1,500,000',
  currency: 'USD',
  closeDate: '2027-03-31',
  probability: 40,
  nextStep: 'Scoping workshop with the CIO',
};

export const TENANT = '00000000-0000-0000-0000-000000000001';
export const ALEX = '00000000-0000-0000-0000-0000000000020';
