import { z } from 'zod';
import { text } from '../common/text.js';
import { ROLES } from './roles.js';
export const RoleSchema = z.enum(ROLES);

export const LoginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: text().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** Who is signed in, as the client sees it. */
export const SessionUserSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  organizationId: z.string().uuid(),
  organizationName: z.string(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const SessionResponseSchema = z.object({
  user: SessionUserSchema,
  /** When the sign-in ends however active the person is, ISO time. */
  expiresAt: z.string(),
  /** When the session ends unless the person does something before then, ISO time. */
  idleExpiresAt: z.string(),
  /** The automatic logoff period, so the client can warn a minute before it. */
  idleTimeoutSeconds: z.number().int().positive(),
  /** Seconds left until `idleExpiresAt` when the server answered: the client counts from this, whatever its own clock says. */
  idleRemainingSeconds: z.number().int().min(0),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** Name of the httpOnly cookie that carries the signed session token. */
export const SESSION_COOKIE = 'cs_session';

/** Why a session ended; sent to its sockets just before they are disconnected. */
export const SESSION_END_REASONS = [
  'logout',
  'role_changed',
  'deactivated',
  'expired',
  'idle',
  /** An admin issued a new set-password link (reset): the old password no longer signs in. */
  'password_reset',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];
