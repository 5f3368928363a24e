/** Someone DealDesk knows: their Azure AD object id and display name. */
export interface Person {
  id: string;
  name: string;
}
