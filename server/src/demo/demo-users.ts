import type { Role } from '@countersign/shared';

/** The demo organization and one user per role; `npm start` prints these logins. */
export const DEMO_ORGANIZATION = {
  name: 'Riverside Orthopedics & Family Medicine',
  slug: 'riverside-demo',
};

export const DEMO_PASSWORD = 'countersign-demo';

export const DEMO_USERS: ReadonlyArray<{ key: Role; name: string; email: string; role: Role }> = [
  { key: 'coder', name: 'Casey Coder', email: 'coder@riverside.example', role: 'coder' },
  {
    key: 'reviewer',
    name: 'Riley Reviewer',
    email: 'reviewer@riverside.example',
    role: 'reviewer',
  },
  {
    key: 'supervisor',
    name: 'Sam Supervisor',
    email: 'supervisor@riverside.example',
    role: 'supervisor',
  },
  { key: 'admin', name: 'Alex Admin', email: 'admin@riverside.example', role: 'admin' },
  // The instance operator: the one demo login that may import or restore code sets.
  {
    key: 'operator',
    name: 'Olive Operator',
    email: 'operator@riverside.example',
    role: 'operator',
  },
];

/**
 * More of the team, so the quality dashboards have people to compare: two more coders, with the
 * same demo password. They have reviewed history (demo-quality.ts), no open charts. The second
 * reviewer of that history is the supervisor: a second active reviewer would take every other
 * submitted chart in the round-robin, away from the demo reviewer people sign in as.
 */
export const DEMO_QUALITY_TEAM: ReadonlyArray<{ name: string; email: string; role: Role }> = [
  { name: 'Jordan Coder', email: 'jordan.coder@riverside.example', role: 'coder' },
  { name: 'Taylor Coder', email: 'taylor.coder@riverside.example', role: 'coder' },
];

/**
 * A new coder still on practice charts (docs/domain.md section 11.1): a trainee, given no real
 * chart until a supervisor promotes them. Same demo password.
 */
export const DEMO_TRAINEE = {
  name: 'Morgan Trainee',
  email: 'morgan.trainee@riverside.example',
  role: 'coder' as Role,
};
