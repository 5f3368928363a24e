/** Someone DealDesk knows: their Azure AD object id and display name. */
export interface Person {
  id: string;
  name: string;
  /** The Teams user id (`29:…`), when known: user-specific card views name people by it. */
  userId?: string;
}

/** The longest name DealDesk keeps for a person (the edge cuts what Teams sends: an activity's sender, a roster). */
export const PERSON_NAME_MAX = 120;
