/**
 * A person's department from a custom Slack profile field (SLACK_DEPARTMENT_FIELD, for adoption
 * analytics). The setting is the field's id ("Xf…"), used as is, or its label, matched
 * case-insensitively against the team's fields (team.profile.get). The value is
 * `profile.fields[<id>].value` of users.profile.get (users.info does not carry custom fields, and
 * its include_labels option is heavily rate-limited). Both methods need `users.profile:read`.
 */
import { z } from 'zod'

/** Slack's custom profile field ids look like "Xf06A1B2C3D4". */
export function isFieldId(s: string): boolean {
  return /^Xf[A-Z0-9]+$/.test(s)
}

export interface ProfileField {
  id: string
  label?: string
}

const teamProfile = z.object({
  profile: z.object({ fields: z.array(z.looseObject({ id: z.string(), label: z.string().optional() })).nullish() }),
})

/** The team's custom profile fields, from a team.profile.get answer. */
export function profileFields(response: unknown): ProfileField[] {
  return (teamProfile.parse(response).profile.fields ?? []).map((f) => ({ id: f.id, ...(f.label !== undefined ? { label: f.label } : {}) }))
}

/** The id of the field `wanted` names: itself when it is an id, else the first field with that label (any case). */
export function resolveFieldId(wanted: string, fields: ProfileField[]): string | undefined {
  const w = wanted.trim()
  if (isFieldId(w)) return w
  const key = w.toLowerCase()
  return fields.find((f) => f.label?.trim().toLowerCase() === key)?.id
}

const userProfile = z.object({ profile: z.looseObject({ fields: z.unknown().optional() }) })
const fieldValue = z.looseObject({ value: z.string().optional() })

/** `fields[<id>].value` of a users.profile.get answer, trimmed; undefined when empty (Slack sends `[]` or null for no fields). */
export function departmentFrom(response: unknown, fieldId: string): string | undefined {
  const { fields } = userProfile.parse(response).profile
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return undefined
  const v = fieldValue.safeParse((fields as Record<string, unknown>)[fieldId])
  return (v.success && v.data.value?.trim()) || undefined
}
