import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { formatIcd10Cm, type ClaimLine } from '@countersign/shared';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { feeBasis, formatDollars } from '../fee-summary/money';
import { ruleTitle } from '../findings-panel/findings';
import { RoomView } from '../room-view';
import type { LineRow } from './line-row';

/** What an action is given: the room's view, the line, and the way to open the line's editor. */
interface LineActionContext {
  view: RoomView;
  line: ClaimLine;
  edit: () => void;
}

/** One button of a line: what it shows, when, and what it does. */
interface LineAction {
  testId: string;
  icon: string;
  /** The tooltip, with the action's key. */
  tooltip: string;
  /** The accessible name before "line 2 (20610)". */
  label: string;
  tone?: 'accept' | 'remove';
  /** A one-click command: disabled while one is on its way for the line. */
  oneClick?: boolean;
  shows: (view: RoomView, line: ClaimLine) => boolean;
  run: (context: LineActionContext) => void;
}

/** The actions on a line, in the order they show; the review policy (through RoomView) decides which. */
const LINE_ACTIONS: readonly LineAction[] = [
  {
    testId: 'accept-line',
    icon: 'check',
    tooltip: 'Accept (a)',
    label: 'Accept',
    tone: 'accept',
    oneClick: true,
    shows: (view, line) => view.canAccept(line),
    run: ({ view, line }) => void view.acceptLine(line),
  },
  {
    testId: 'suggest-line',
    icon: 'rate_review',
    tooltip: 'Suggest a correction (s)',
    label: 'Suggest a correction to',
    shows: (view, line) => view.canSuggest(line),
    run: ({ view, line }) => view.openForm('suggest', line),
  },
  {
    testId: 'reject-line',
    icon: 'block',
    tooltip: 'Reject (r)',
    label: 'Reject',
    tone: 'remove',
    shows: (view, line) => view.canReject(line),
    run: ({ view, line }) => view.openForm('reject', line),
  },
  {
    testId: 'edit-line',
    icon: 'edit',
    tooltip: 'Edit line (Enter)',
    label: 'Edit',
    shows: (view, line) => view.canEditLine(line),
    run: ({ edit }) => edit(),
  },
  {
    testId: 'remove-line',
    icon: 'delete',
    tooltip: 'Remove line',
    label: 'Remove',
    tone: 'remove',
    oneClick: true,
    shows: (view, line) => view.can('line.remove') && !line.submitted,
    run: ({ view, line }) => void view.removeLine(line),
  },
];

/**
 * One claim line's row: its code with findings, review state and who works on it, its billed
 * fields and fee, and the actions the signed-in person may take on it (`LINE_ACTIONS`).
 */
@Component({
  // A table row must stay a `tr`: an element of our own between the body and its cells would
  // leave the table's layout and its rows' accessibility, so this component is an attribute.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'tr[cs-claim-line-row]',
  imports: [MatButtonModule, MatIconModule, MatTooltipModule],
  templateUrl: './claim-line-row.html',
  styleUrl: './claim-line-row.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'line',
    'data-testid': 'claim-line',
    tabindex: '0',
    '[class.line--highlight]': 'highlighted()',
    '[class.line--jumped]': 'jumped()',
    '[class.line--active]': 'active()',
    '[class.line--accepted]': "line().review.state === 'accepted'",
    '[class.line--rejected]': "line().review.state === 'rejected'",
    '[attr.data-line-id]': 'line().id',
    '[attr.data-review]': 'line().review.state',
    '[attr.aria-label]': 'name()',
    '(focus)': 'view.activeLineId.set(line().id)',
    '(keydown.enter)': 'enter($event)',
    '(dblclick)': 'edit.emit()',
  },
})
export class ClaimLineRow {
  protected readonly view = inject(RoomView);
  private readonly catalog = inject(CatalogLookup);

  readonly row = input.required<LineRow>();
  /** The chart is past its draft: every line shows its review state. */
  readonly inReview = input.required<boolean>();
  /** Just arrived or changed live: flashed briefly. */
  readonly highlighted = input(false);
  /** The person asks to edit the line (the table opens its editor). */
  readonly edit = output();

  protected readonly line = computed(() => this.row().line);
  protected readonly actions = computed(() =>
    LINE_ACTIONS.filter((action) => action.shows(this.view, this.line())),
  );
  /** A one-click command is on its way for this line. */
  protected readonly busy = computed(() => this.view.busyLine() === this.line().id);
  protected readonly active = computed(() => this.view.activeLineId() === this.line().id);
  protected readonly jumped = computed(() => this.view.jumpedLineId() === this.line().id);
  protected readonly name = computed(() => {
    const { line, number } = this.row();
    const state = line.review.state === 'pending' ? '' : `, ${line.review.state}`;
    return `Line ${number}: ${line.code}${state}`;
  });
  /** How the actions name the line: "line 2 (20610)". */
  protected readonly target = computed(() => `line ${this.row().number} (${this.line().code})`);

  /** The line's findings: the worst decides the marker; the tooltip lists each rule. */
  protected readonly marker = computed(() => {
    const findings = this.view.findingsByLine().get(this.line().id);
    const worst = findings?.[0];
    if (!findings || !worst) return null;
    return {
      severity: worst.severity,
      text: findings
        .map((f) => `${f.severity === 'error' ? 'Error' : 'Warning'}: ${ruleTitle(f)}`)
        .join('\n'),
    };
  });
  protected readonly description = computed(
    () => this.catalog.find(this.line().code, ['CPT', 'HCPCS'])?.shortDescription ?? '',
  );
  protected readonly modifiers = computed(() =>
    this.line().modifiers.map((code) => ({
      code,
      description: this.catalog.find(code, ['MODIFIER'])?.shortDescription ?? `Modifier ${code}`,
    })),
  );
  protected readonly pointers = computed(() => {
    const diagnoses = this.view.shown()?.diagnoses ?? [];
    return this.line().pointers.map((letter) => {
      const code = diagnoses[letter.charCodeAt(0) - 'A'.charCodeAt(0)];
      if (!code) return { letter, description: `Diagnosis ${letter} does not exist` };
      const description = this.catalog.find(code, ['ICD10CM'])?.shortDescription;
      return {
        letter,
        description: `${letter}: ${formatIcd10Cm(code)}${description ? ` ${description}` : ''}`,
      };
    });
  });
  protected readonly fee = computed(() => {
    const fee = this.row().fee;
    return fee?.priced
      ? { priced: true as const, amount: formatDollars(fee.amount), detail: feeBasis(fee) }
      : { priced: false as const, note: fee?.note ?? null };
  });
  protected readonly comments = computed(() => {
    const comments = this.row().comments;
    const n = this.row().number;
    return comments
      ? {
          ...comments,
          none: false,
          tooltip: 'Comments (c)',
          label: `${comments.count} comments on line ${n}`,
        }
      : {
          count: 0,
          open: false,
          none: true,
          tooltip: 'Comment on this line (c)',
          label: `Comment on line ${n}`,
        };
  });

  protected run(action: LineAction): void {
    action.run({ view: this.view, line: this.line(), edit: () => this.edit.emit() });
  }

  protected enter(event: Event): void {
    // Only the row itself, not Enter on one of its buttons.
    if (event.target === event.currentTarget && this.view.canEditLine(this.line()))
      this.edit.emit();
  }
}
