import type { Person } from '@countersign/shared';
import type { PersonRow } from './users.repository.js';

/** A person row as the People page sees it: status from deactivation and whether a password is set. */
export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.deactivated_at ? 'deactivated' : row.has_password ? 'active' : 'invited',
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    linkExpiresAt: row.link_expires_at?.toISOString() ?? null,
  };
}
