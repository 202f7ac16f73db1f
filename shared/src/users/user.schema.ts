import { z } from 'zod';
import { RoleSchema } from '../auth/auth.schema.js';

/** A teammate as listed for assignment, presence and mentions: no credentials. */
export const TeamMemberSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  /** False for a deactivated person: kept for names on history, never offered for new work. */
  active: z.boolean().optional(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

/**
 * An admin changes a teammate's role or (de)activates them. Either change ends every session
 * of that person at once; they sign in again to get the new rights (or cannot, when deactivated).
 */
export const UserUpdateSchema = z
  .object({ role: RoleSchema.optional(), active: z.boolean().optional() })
  .strict()
  .refine((value) => value.role !== undefined || value.active !== undefined, {
    message: 'Name a role or active',
  });
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

/** A person as events and charts name them: id and display name. */
export const UserRefSchema = z.object({ id: z.string().uuid(), name: z.string() });
export type UserRef = z.infer<typeof UserRefSchema>;
