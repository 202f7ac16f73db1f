import { z } from 'zod';
import { RoleSchema } from '../auth/auth.schema.js';
import { text } from '../common/text.js';

/**
 * People: an organization admin adds a person (name, email, role) and hands them a one-time
 * set-password link (there is no email on the machine: the admin is shown the link and passes it
 * on). The link's token is random, stored only as a hash, used once, expires after
 * PASSWORD_LINK_HOURS and is replaced by any newer link for the same person.
 */

/** How long a set-password link works. */
export const PASSWORD_LINK_HOURS = 72;

/** The shortest password a person may choose (NIST SP 800-63B allows 8; we ask for 12). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Where a person stands: `active` signs in; `invited` was added (or reset) and has a link but
 * no password yet, so cannot sign in; `deactivated` cannot sign in, whatever they hold.
 */
export const PERSON_STATUSES = ['active', 'invited', 'deactivated'] as const;
export const PersonStatusSchema = z.enum(PERSON_STATUSES);
export type PersonStatus = z.infer<typeof PersonStatusSchema>;

/** A person as the admin's People page lists them. */
export const PersonSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  status: PersonStatusSchema,
  /** ISO time of the last sign-in; null when they never signed in. */
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** ISO time the person's unused set-password link stops working; null when none is pending. */
  linkExpiresAt: z.string().nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

/** `GET /api/users?include=inactive`: everyone, with status (admin only). */
export const UsersQuerySchema = z.object({ include: z.enum(['inactive']).optional() }).strict();
export type UsersQuery = z.infer<typeof UsersQuerySchema>;

export const PeopleListSchema = z.object({ items: z.array(PersonSchema) });
export type PeopleList = z.infer<typeof PeopleListSchema>;

/** `POST /api/users`: the admin adds a person. */
export const NewPersonSchema = z
  .object({
    name: text().trim().min(1, 'Enter the name').max(200),
    email: z.string().trim().toLowerCase().email('Enter an email address').max(320),
    role: RoleSchema,
  })
  .strict();
export type NewPerson = z.infer<typeof NewPersonSchema>;

/** A set-password link as issued: shown to the admin once, never stored or shown again. */
export const PasswordLinkSchema = z.object({
  token: z.string(),
  /** The client route that opens it: `/set-password/<token>`. */
  path: z.string(),
  expiresAt: z.string(),
});
export type PasswordLink = z.infer<typeof PasswordLinkSchema>;

/** `POST /api/users` and `POST /api/users/:id/password-link` answer the person and the link. */
export const PersonWithLinkSchema = z.object({ person: PersonSchema, link: PasswordLinkSchema });
export type PersonWithLink = z.infer<typeof PersonWithLinkSchema>;

/** Characters of a set-password token: 32 random bytes in base64url. */
export const PASSWORD_TOKEN_LENGTH = 43;

/**
 * A token as it travels in a link, exactly as the server makes them; anything else is refused as
 * malformed before it is looked up (and before it counts against the brake).
 */
export const PasswordTokenSchema = z
  .string()
  .length(PASSWORD_TOKEN_LENGTH, 'Not a set-password link')
  .regex(/^[A-Za-z0-9_-]+$/, 'Not a set-password link');

/** A password a person chooses (the same rules wherever one is set). */
export const NewPasswordSchema = text()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH)
  .refine((value) => value.trim().length >= MIN_PASSWORD_LENGTH, {
    message: `Use at least ${MIN_PASSWORD_LENGTH} characters that are not spaces`,
  });

/** `POST /api/auth/set-password` (public): the link's token and the chosen password. */
export const SetPasswordRequestSchema = z
  .object({ token: PasswordTokenSchema, password: NewPasswordSchema })
  .strict();
export type SetPasswordRequest = z.infer<typeof SetPasswordRequestSchema>;

/** `POST /api/auth/set-password` answers the email to sign in with. */
export const SetPasswordResponseSchema = z.object({ email: z.string() });
export type SetPasswordResponse = z.infer<typeof SetPasswordResponseSchema>;

/** `GET /api/auth/password-links/:token` (public): whose account the link sets a password for. */
export const PasswordLinkInfoSchema = z.object({
  name: z.string(),
  organizationName: z.string(),
  purpose: z.enum(['invite', 'reset']),
  expiresAt: z.string(),
});
export type PasswordLinkInfo = z.infer<typeof PasswordLinkInfoSchema>;

/** What an admin did to a person (or a person to their own account), as the audit trail keeps it. */
export const PEOPLE_EVENT_TYPES = [
  'person.added',
  'person.role_changed',
  'person.deactivated',
  'person.reactivated',
  'person.password_link_issued',
  'person.password_set',
] as const;
export const PeopleEventTypeSchema = z.enum(PEOPLE_EVENT_TYPES);
export type PeopleEventType = z.infer<typeof PeopleEventTypeSchema>;

/** One entry of an organization's people audit trail: who did what to whom; never a password or token. */
export const PeopleEventSchema = z.object({
  seq: z.number().int(),
  type: PeopleEventTypeSchema,
  actorId: z.string().uuid().nullable(),
  actorName: z.string(),
  subjectId: z.string().uuid(),
  subjectName: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type PeopleEvent = z.infer<typeof PeopleEventSchema>;

/** `GET /api/audit/people`: the organization's people trail, its hash chain checked, newest first. */
export const PeopleAuditSchema = z.object({
  chain: z.object({
    events: z.number().int(),
    ok: z.boolean(),
    brokenAt: z.number().int().nullable(),
    reason: z.string().nullable(),
    head: z.string().nullable(),
  }),
  events: z.array(PeopleEventSchema),
});
export type PeopleAudit = z.infer<typeof PeopleAuditSchema>;
