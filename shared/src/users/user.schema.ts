import { z } from 'zod';
import { RoleSchema } from '../auth/auth.schema.js';

/** A teammate as listed for assignment, presence and mentions: no credentials. */
export const TeamMemberSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

/** A person as events and charts name them: id and display name. */
export const UserRefSchema = z.object({ id: z.string().uuid(), name: z.string() });
export type UserRef = z.infer<typeof UserRefSchema>;

/** Two-letter initials for an avatar. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
