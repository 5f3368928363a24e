import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far the sender's clock may be from ours, either way, before a signed request is refused as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export const TIMESTAMP_HEADER = 'x-dealdesk-timestamp';
export const SIGNATURE_HEADER = 'x-dealdesk-signature';

const SIGNATURE_PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** Why a request was not accepted; never says anything about the secret. */
export type SignatureFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

/** The HMAC-SHA256 (hex) of `<timestamp>.<raw body>`: what the sender puts after `sha256=`. */
export function signatureOf(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks the two headers before the body is even looked at: both present, well formed, and the
 * timestamp within the tolerance of `nowMs` (either direction).
 */
export function checkSignatureHeaders(timestampHeader: unknown, signatureHeader: unknown, nowMs: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): SignatureCheck {
  if (typeof timestampHeader !== 'string' || typeof signatureHeader !== 'string' || !timestampHeader.trim() || !signatureHeader.trim()) {
    return { ok: false, reason: 'missing' };
  }
  const ts = timestampHeader.trim();
  const sig = signatureHeader.trim();
  if (!UNIX_SECONDS.test(ts) || !sig.toLowerCase().startsWith(SIGNATURE_PREFIX) || !HEX_SHA256.test(sig.slice(SIGNATURE_PREFIX.length))) {
    return { ok: false, reason: 'malformed' };
  }
  const timestamp = Number(ts);
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
}

/**
 * Verifies `X-DealDesk-Signature: sha256=<hex>` over the raw request bytes, in constant time.
 * The timestamp is the header's text exactly as sent (it is part of what was signed).
 */
export function verifySignature(options: {
  secret: string;
  timestampHeader: unknown;
  signatureHeader: unknown;
  rawBody: Buffer;
  nowMs: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const headers = checkSignatureHeaders(options.timestampHeader, options.signatureHeader, options.nowMs, options.toleranceSeconds);
  if (!headers.ok) return headers;
  const given = Buffer.from(String(options.signatureHeader).trim().slice(SIGNATURE_PREFIX.length), 'hex');
  const expected = Buffer.from(signatureOf(options.secret, String(options.timestampHeader).trim(), options.rawBody), 'hex');
  // Both are 32 bytes (the header was checked to be 64 hex digits), as timingSafeEqual requires.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return headers;
}
