/**
 * The roles and the one rule about them the client needs before anything else loads (which
 * pages to offer). Kept free of zod so that importing them does not build any schema: the
 * client's first bundle carries these lines, not the schema library.
 */

/**
 * The roles; a user has exactly one. `operator` runs the instance: an organization admin who
 * also loads the code sets every organization uses.
 */
export const ROLES = ['coder', 'reviewer', 'supervisor', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** An organization admin, or the instance operator (who administers their organization too). */
export const isAdminRole = (role: Role): boolean => role === 'admin' || role === 'operator';

/** Who exports the claims of many charts at once: supervisors and admins (and the operator). */
export const canExportClaims = (role: Role): boolean => role === 'supervisor' || isAdminRole(role);

/**
 * Who reads the whole team's quality figures and edits the sampling policy: supervisors and admins
 * (and the operator). Coders and reviewers read their own figures (`/quality/me`).
 */
export const canReadTeamQuality = (role: Role): boolean =>
  role === 'supervisor' || isAdminRole(role);
