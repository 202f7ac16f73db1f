import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { initials, type PresenceMember } from '@countersign/shared';

/** Shown before the rest are folded into "+N". */
const VISIBLE = 5;

/** Avatar colours, picked by user id so one person keeps one colour on every screen. */
const COLOURS = [
  '#1b5fa8',
  '#2e7d5b',
  '#8a4fbf',
  '#b5541c',
  '#0d7d86',
  '#a8326a',
  '#5d6b1f',
  '#44558f',
];

export function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length]!;
}

/** Who is in the room right now: round avatars with initials, name and role on hover and for screen readers. */
@Component({
  selector: 'cs-presence-avatars',
  imports: [MatTooltipModule],
  templateUrl: './presence-avatars.html',
  styleUrl: './presence-avatars.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PresenceAvatars {
  readonly members = input.required<readonly PresenceMember[]>();
  /** The signed-in person, marked "you" in the tooltip. */
  readonly selfId = input<string | null>(null);

  protected readonly avatars = computed(() =>
    this.members().map((member) => ({
      id: member.userId,
      label: `${member.name} (${member.role})`,
      initials: initials(member.name),
      colour: colourOf(member.userId),
    })),
  );
  protected readonly visible = computed(() => this.avatars().slice(0, VISIBLE));
  protected readonly hidden = computed(() => this.avatars().slice(VISIBLE));
  protected readonly hiddenLabel = computed(() =>
    this.hidden()
      .map((a) => a.label)
      .join(', '),
  );
}
