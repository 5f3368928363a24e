import { createHash } from 'node:crypto';

/** DealDesk's own namespace for name-based opportunity ids (fixed forever: changing it would orphan every record). */
export const OPPORTUNITY_ID_NAMESPACE = '5d3c8e0a-4f1b-4c2e-9a57-1e0d7c6b2f94';

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 over the namespace's 16 bytes and the name's UTF-8), so the same
 * name gives the same id on every instance, after every crash.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The opportunity id a deal is created under in Dataverse: derived from its tenant and deal id, so a create repeated
 * after a crash or a lost answer names the same record (and finds it) instead of making a second one.
 */
export const opportunityIdOf = (tenantId: string, dealId: string): string => nameBasedUuid(OPPORTUNITY_ID_NAMESPACE, `${tenantId.toLowerCase()}/${dealId}`);
