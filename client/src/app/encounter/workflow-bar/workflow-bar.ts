import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import type { Encounter, EncounterAction, Transition } from '@countersign/shared';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { AssignDialog, type AssignDialogData } from '../assign-dialog/assign-dialog';
import { LiveRoom } from '../../core/realtime/live-room';
import { DraftStore, draftTargets } from '../drafts/draft-store';
import { countFindings, describeCounts } from '../findings-panel/findings';
import { ReasonDialog, type ReasonDialogData } from '../reason-dialog/reason-dialog';
import { RoomView } from '../room-view';
import { approvalBlockers } from './approval-gate';

interface WorkflowAction {
  transition: Transition;
  action: EncounterAction;
  label: string;
  /** The main step forward is filled; the others are outlined. */
  primary: boolean;
  reason?: ReasonDialogData;
}

const ACTIONS: readonly WorkflowAction[] = [
  { transition: 'submit', action: 'submit', label: 'Submit for review', primary: true },
  { transition: 'review.start', action: 'review.start', label: 'Start review', primary: true },
  {
    transition: 'request-changes',
    action: 'request-changes',
    label: 'Request changes',
    primary: false,
    reason: {
      title: 'Request changes',
      prompt: 'What should the coder change?',
      confirm: 'Send back to the coder',
    },
  },
  { transition: 'approve', action: 'approve', label: 'Approve', primary: true },
  {
    transition: 'reopen',
    action: 'reopen',
    label: 'Reopen',
    primary: false,
    reason: {
      title: 'Reopen the chart',
      prompt: 'Why does the chart need another review?',
      confirm: 'Reopen',
    },
  },
  { transition: 'sign-off', action: 'sign-off', label: 'Sign off', primary: true },
];

/** Where the chart stands and who acts next, in one sentence. */
export function nextStep(encounter: Encounter, selfId: string | null): string {
  const coder = encounter.coder?.id === selfId ? 'you' : (encounter.coder?.name ?? 'the coder');
  const reviewer =
    encounter.reviewer?.id === selfId
      ? 'You are'
      : `${encounter.reviewer?.name ?? 'A reviewer'} is`;
  switch (encounter.status) {
    case 'draft':
      return encounter.coder
        ? `Coding: waiting for ${coder} to submit.`
        : 'Unassigned: waiting for a coder to claim it.';
    case 'changes_requested':
      return `Changes requested: waiting for ${coder} to resubmit.`;
    case 'submitted':
      if (!encounter.reviewer)
        return 'Submitted: no reviewer yet; any reviewer can start the review.';
      return encounter.reviewer.id === selfId
        ? 'Submitted: waiting for you to start the review.'
        : `Submitted: waiting for ${encounter.reviewer.name} to start the review.`;
    case 'in_review':
      return encounter.suggestions.some((s) => s.status === 'escalated')
        ? `${reviewer} reviewing the lines; a dispute waits for a supervisor.`
        : `${reviewer} reviewing the lines.`;
    case 'approved':
      return 'Approved: waiting for a supervisor to sign off.';
    case 'signed_off':
      return 'Signed off: the chart is locked.';
  }
}

/** A refused transition, as the bar remembers it. */
interface Refusal {
  message: string;
  /** An approval gate: the banner then follows what blocks approval in the live chart. */
  gate: boolean;
  /** The chart's status when it was refused: a refusal about another status is stale. */
  status: Encounter['status'];
  /** The chart's version when it was refused: until it moves on, the server's own words stand. */
  version: number;
}

/**
 * The workflow of the chart: who acts next, how far the review has got, and the transitions
 * the signed-in person can make now (the review policy decides which). A refusal shows here, in
 * the server's words; an approval gate's banner is derived from the live chart, listing what
 * still blocks approval, and goes away when nothing does.
 */
@Component({
  selector: 'cs-workflow-bar',
  imports: [MatButtonModule, MatIconModule],
  templateUrl: './workflow-bar.html',
  styleUrl: './workflow-bar.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WorkflowBar {
  private readonly room = inject(LiveRoom);
  private readonly dialog = inject(MatDialog);
  private readonly document = inject(DOCUMENT);
  private readonly drafts = inject(DraftStore);
  protected readonly view = inject(RoomView);
  private readonly api = inject(ApiClient);

  protected readonly actions = computed(() => ACTIONS.filter((a) => this.view.can(a.action)));
  /** A coder can take an unassigned draft; a supervisor or an admin can (re)assign the chart. */
  protected readonly canClaim = computed(() => this.view.can('encounter.claim'));
  protected readonly canAssign = computed(() => this.view.can('encounter.assign'));
  protected readonly claiming = signal(false);
  protected readonly step = computed(() => {
    const encounter = this.view.shown();
    return encounter ? nextStep(encounter, this.view.user()?.id ?? null) : '';
  });
  protected readonly progress = computed(() => {
    const encounter = this.view.shown();
    if (!encounter || encounter.status === 'draft') return [];
    const count = (state: string) => encounter.lines.filter((l) => l.review.state === state).length;
    const suggestions = (status: string) =>
      encounter.suggestions.filter((s) => s.status === status).length;
    const open = suggestions('open');
    const disputed = suggestions('disputed');
    const parts = [
      { label: 'accepted', n: count('accepted'), tone: 'accepted' },
      { label: 'rejected', n: count('rejected'), tone: 'rejected' },
      { label: 'pending', n: count('pending'), tone: 'pending' },
      { label: open === 1 ? 'open suggestion' : 'open suggestions', n: open, tone: 'open' },
      { label: disputed === 1 ? 'open dispute' : 'open disputes', n: disputed, tone: 'open' },
      { label: 'with a supervisor', n: suggestions('escalated'), tone: 'open' },
    ];
    return parts.filter((p) => p.n > 0);
  });
  /** "2 errors, 1 warning": what the edits leave to fix or acknowledge before approval. */
  protected readonly findings = computed(() => {
    const edits = this.view.edits();
    if (!edits) return null;
    const counts = countFindings(edits.findings, this.view.acknowledgements());
    const tone = counts.errors ? 'error' : counts.warnings ? 'warning' : 'clean';
    return { label: describeCounts(counts), tone };
  });
  protected readonly busy = signal<Transition | null>(null);
  private readonly refusal = signal<Refusal | null>(null);
  /** What blocks approval in the live chart now. */
  private readonly blockers = computed(() => {
    const live = this.view.live();
    return live ? approvalBlockers(live, this.room.edits(), this.view.acknowledgements()) : [];
  });
  /** The banner: a refusal while it still applies; a gate lists its causes as they are now. */
  protected readonly error = computed(() => {
    const refusal = this.refusal();
    const live = this.view.live();
    if (!refusal || !live || live.status !== refusal.status) return null;
    if (!refusal.gate || live.version === refusal.version) return refusal.message;
    const blockers = this.blockers();
    return blockers.length ? `The chart cannot be approved yet: ${blockers.join('; ')}` : null;
  });

  protected dismiss(): void {
    this.refusal.set(null);
  }

  protected showFindings(): void {
    const panel = this.document.getElementById('findings');
    panel?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    panel
      ?.querySelector<HTMLElement>('[data-testid="finding-jump"]')
      ?.focus({ preventScroll: true });
  }

  /** Takes the chart; the room follows the assignment event. Losing a race shows who won. */
  protected async claim(): Promise<void> {
    const live = this.room.encounter();
    if (!live || this.claiming()) return;
    this.claiming.set(true);
    this.refusal.set(null);
    try {
      await this.api.claim(live.id);
    } catch (error) {
      const now = this.room.encounter() ?? live;
      this.refusal.set({
        message: toApiError(error).message,
        gate: false,
        status: now.status,
        version: now.version,
      });
    } finally {
      this.claiming.set(false);
    }
  }

  /** Opens the assign dialog on this chart; the room follows the event it makes. */
  protected assign(): void {
    const live = this.room.encounter();
    if (!live) return;
    this.dialog.open<AssignDialog, AssignDialogData>(AssignDialog, {
      data: { encounterIds: [live.id], coder: live.coder, reviewer: live.reviewer },
      width: '460px',
    });
  }

  protected async run(action: WorkflowAction): Promise<void> {
    const live = this.room.encounter();
    const seen = live?.version;
    if (this.busy() || !live || seen === undefined) return;
    const draft = action.reason
      ? { encounterId: live.id, target: draftTargets.reason(action.transition) }
      : null;
    let reason = '';
    if (action.reason) {
      const answer = await firstValueFrom(
        this.dialog
          .open<ReasonDialog, ReasonDialogData, string>(ReasonDialog, {
            data: { ...action.reason, draft },
            width: '460px',
          })
          .afterClosed(),
        { defaultValue: undefined },
      );
      if (!answer) return;
      reason = answer;
    }
    this.busy.set(action.transition);
    this.refusal.set(null);
    try {
      await this.room.transition(action.transition, reason, seen);
      // The reason is on the record now; its draft is no longer needed.
      if (draft) this.drafts.discard(draft);
    } catch (error) {
      const gate =
        action.transition === 'approve' &&
        toApiError(error).code === 'invalid_state' &&
        hasBlockers(toApiError(error).details);
      const now = this.room.encounter() ?? live;
      this.refusal.set({
        message: this.view.refusalMessage(error),
        gate,
        status: now.status,
        version: now.version,
      });
    } finally {
      this.busy.set(null);
    }
  }
}

function hasBlockers(details: unknown): boolean {
  return (
    !!details &&
    typeof details === 'object' &&
    Array.isArray((details as { blockers?: unknown }).blockers)
  );
}
