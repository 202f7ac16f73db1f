import type { TeamMember } from '@countersign/shared';

/** The `@partial` being typed just before the caret, or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** Teammates whose name or email starts a word with `query`, best first. */
export function mentionCandidates(
  team: readonly TeamMember[],
  query: string,
  selfId: string | null,
  limit = 6,
): TeamMember[] {
  const q = query.toLowerCase();
  return team
    .filter((m) => m.id !== selfId)
    .filter(
      (m) =>
        !q ||
        m.name
          .toLowerCase()
          .split(/\s+/)
          .some((word) => word.startsWith(q)) ||
        m.email.toLowerCase().startsWith(q),
    )
    .slice(0, limit);
}

/** The ids of the teammates whose `@Full Name` the text still contains. */
export function mentionedIds(text: string, team: readonly TeamMember[]): string[] {
  return team.filter((m) => text.includes(`@${m.name}`)).map((m) => m.id);
}

/** A comment body cut into plain text and @mentions of the named people, for display. */
export function mentionParts(
  body: string,
  names: readonly string[],
): Array<{ text: string; mention: boolean }> {
  const wanted = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  if (!wanted.length) return [{ text: body, mention: false }];
  const pattern = new RegExp(
    `(${wanted.map((n) => `@${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('|')})`,
    'g',
  );
  return body
    .split(pattern)
    .filter((part) => part !== '')
    .map((text) => ({ text, mention: wanted.some((n) => text === `@${n}`) }));
}
