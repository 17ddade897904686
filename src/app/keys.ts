/**
 * One configured secret (BEACON_ENCRYPTION_KEY), one key per purpose. Using the same bytes as an
 * AES-GCM key and as an HMAC key would let a weakness or leak in one use spill into the other, so
 * each purpose gets an independent key derived with HKDF-SHA256 (RFC 5869). The info strings are
 * part of the stored data's format: changing one makes what it protects unreadable.
 */
import { hkdfSync } from 'node:crypto'

export type KeyPurpose = 'secrets-at-rest' | 'link-signing'

const SALT = 'beacon'

export function deriveKey(master: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', master, SALT, `beacon ${purpose} v1`, 32))
}
