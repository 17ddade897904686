import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM for secrets at rest (Slack installation tokens). A fresh random IV per message; the
 * associated data binds a ciphertext to its row key, so a row copied onto another key fails to open.
 * `previousKeys` open what older versions sealed (they used BEACON_ENCRYPTION_KEY itself); seal
 * always uses the current key, so callers re-seal whatever `openAny` reports as `stale`.
 */
export class SecretBox {
  private readonly previous: Buffer[]

  constructor(
    private readonly key: Buffer,
    previousKeys: Buffer[] = [],
  ) {
    for (const k of [key, ...previousKeys]) if (k.length !== 32) throw new RangeError('SecretBox needs a 32-byte key')
    this.previous = previousKeys
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
  }

  /** Throws when no key opens it or the data was tampered with (GCM authenticates). */
  open(sealed: string, associatedData: string): string {
    return this.openAny(sealed, associatedData).plaintext
  }

  /** Like open; `stale` says it was sealed with a previous key and should be sealed again. */
  openAny(sealed: string, associatedData: string): { plaintext: string; stale: boolean } {
    try {
      return { plaintext: openWith(this.key, sealed, associatedData), stale: false }
    } catch (err) {
      for (const k of this.previous) {
        try {
          return { plaintext: openWith(k, sealed, associatedData), stale: true }
        } catch {
          /* try the next one */
        }
      }
      throw err
    }
  }
}

function openWith(key: Buffer, sealed: string, associatedData: string): string {
  const raw = Buffer.from(sealed, 'base64')
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed secret is too short')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES))
  decipher.setAAD(Buffer.from(associatedData, 'utf8'))
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
}
