/** Someone DealDesk knows: their Azure AD object id and display name. */
export interface Person {
  id: string;
  name: string;
  /** The Teams user id (`29:…`), when known: user-specific card views name people by it. */
  userId?: string;
}
