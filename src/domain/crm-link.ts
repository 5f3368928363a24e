/** Where a deal lives in the CRM, kept on the deal (`deal.crmLink`) once the CRM has it. */
export interface CrmLink {
  /** The CRM's record id (Dataverse: the opportunity's GUID). */
  recordId: string;
  /** The record's version as of DealDesk's last write or read (Dataverse: `@odata.etag`). */
  etag?: string;
}
