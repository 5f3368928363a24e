/** Whether DealDesk serves this tenant: ALLOWED_TENANTS (lower-case) unset serves every tenant. */
export const isTenantAllowed = (settings: { allowedTenants?: readonly string[] }, tenantId: unknown): boolean =>
  settings.allowedTenants === undefined || (typeof tenantId === 'string' && settings.allowedTenants.includes(tenantId.trim().toLowerCase()));
