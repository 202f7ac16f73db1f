import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import {
  ROLES,
  type PeopleAudit,
  type PeopleEvent,
  type Person,
  type PersonWithLink,
  type Role,
} from '@countersign/shared';
import { firstValueFrom } from 'rxjs';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { AddPersonDialog } from './add-person-dialog';
import { ConfirmDialog, type ConfirmDialogData } from './confirm-dialog';
import { LinkDialog } from './link-dialog';

const STATUS_LABELS: Record<Person['status'], string> = {
  active: 'Active',
  invited: 'Invited',
  deactivated: 'Deactivated',
};

/** What each audited action reads as in the history list. */
const EVENT_LABELS: Record<PeopleEvent['type'], string> = {
  'person.added': 'added',
  'person.role_changed': 'changed the role of',
  'person.deactivated': 'deactivated',
  'person.reactivated': 'reactivated',
  'person.password_link_issued': 'issued a set-password link for',
  'person.password_set': 'chose their password',
};

/**
 * Admin: the people of the organization. Add a person (who gets a one-time set-password link,
 * shown here once), change roles, deactivate and reactivate (confirmed: it signs them out
 * everywhere), and reset passwords (a new link). Each action is audited; the latest entries of
 * the people trail, with its hash chain checked, are at the bottom.
 */
@Component({
  selector: 'cs-people-page',
  imports: [DatePipe, MatButtonModule, MatIconModule],
  templateUrl: './people-page.html',
  styleUrl: './people-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PeoplePage {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly auth = inject(AuthService);

  protected readonly roles = ROLES;
  protected readonly people = signal<readonly Person[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly audit = signal<PeopleAudit | null>(null);
  protected readonly meId = computed(() => this.auth.user()?.id ?? null);
  protected readonly isOperator = computed(() => this.auth.user()?.role === 'operator');
  protected readonly counts = computed(() => {
    const counts = { active: 0, invited: 0, deactivated: 0 };
    for (const person of this.people()) counts[person.status] += 1;
    return counts;
  });

  constructor() {
    void this.load();
  }

  protected statusLabel(person: Person): string {
    return STATUS_LABELS[person.status];
  }

  protected eventLabel(event: PeopleEvent): string {
    return EVENT_LABELS[event.type];
  }

  protected eventDetail(event: PeopleEvent): string {
    const p = event.payload;
    if (event.type === 'person.role_changed') return `${String(p['from'])} → ${String(p['to'])}`;
    if (event.type === 'person.added') return `as ${String(p['role'])}`;
    if (event.type === 'person.password_link_issued')
      return p['purpose'] === 'reset' ? '(password reset)' : '(invitation)';
    return '';
  }

  /** An organization admin cannot grant or change the operator role (the server says so too). */
  protected mayChange(person: Person): boolean {
    return person.id !== this.meId() && (this.isOperator() || person.role !== 'operator');
  }

  protected roleChoices(person: Person): readonly Role[] {
    return this.isOperator()
      ? this.roles
      : this.roles.filter((r) => r !== 'operator' || r === person.role);
  }

  protected async add(): Promise<void> {
    const added = await firstValueFrom(
      this.dialog.open<AddPersonDialog, void, PersonWithLink>(AddPersonDialog).afterClosed(),
    );
    if (!added) return;
    this.notice.set(`${added.person.name} was added as ${added.person.role}.`);
    await this.load();
  }

  protected async changeRole(person: Person, event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const role = select.value as Role;
    if (role === person.role) return;
    const go = await this.confirm({
      title: `Make ${person.name} ${article(role)} ${role}?`,
      message: `${person.name} is signed out everywhere and gets the ${role}'s rights at the next sign-in.`,
      confirm: 'Change role',
    });
    if (!go) {
      select.value = person.role;
      return;
    }
    await this.act(
      person,
      () => this.api.updatePerson(person.id, { role }),
      `${person.name} is now ${article(role)} ${role}.`,
    );
  }

  protected async setActive(person: Person, active: boolean): Promise<void> {
    const go = await this.confirm(
      active
        ? {
            title: `Reactivate ${person.name}?`,
            message: `${person.name} can sign in again (someone who never chose a password needs a new link).`,
            confirm: 'Reactivate',
          }
        : {
            title: `Deactivate ${person.name}?`,
            message: `${person.name} is signed out everywhere at once and cannot sign in until reactivated. Their name stays on every chart's history.`,
            confirm: 'Deactivate',
            danger: true,
          },
    );
    if (!go) return;
    await this.act(
      person,
      () => this.api.updatePerson(person.id, { active }),
      active ? `${person.name} was reactivated.` : `${person.name} was deactivated.`,
    );
  }

  protected async resetPassword(person: Person): Promise<void> {
    const reset = person.status === 'active';
    const go = await this.confirm(
      reset
        ? {
            title: `Reset ${person.name}'s password?`,
            message: `Their password stops working and they are signed out everywhere. You get a one-time link for them to choose a new one.`,
            confirm: 'Reset password',
            danger: true,
          }
        : {
            title: `New link for ${person.name}?`,
            message: 'Any earlier link stops working.',
            confirm: 'Issue new link',
          },
    );
    if (!go) return;
    this.busy.set(person.id);
    this.error.set(null);
    try {
      const issued = await this.api.passwordLink(person.id);
      await firstValueFrom(
        this.dialog.open(LinkDialog, { data: issued, disableClose: true }).afterClosed(),
      );
      this.notice.set(`A new set-password link was issued for ${person.name}.`);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(null);
    }
    await this.load();
  }

  private async act(person: Person, call: () => Promise<Person>, done: string): Promise<void> {
    this.busy.set(person.id);
    this.error.set(null);
    this.notice.set(null);
    try {
      await call();
      this.notice.set(done);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.busy.set(null);
    }
    await this.load();
  }

  private async confirm(data: ConfirmDialogData): Promise<boolean> {
    return (
      (await firstValueFrom(
        this.dialog
          .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
          .afterClosed(),
      )) === true
    );
  }

  private async load(): Promise<void> {
    try {
      const [people, audit] = await Promise.all([this.api.people(), this.api.peopleAudit(20)]);
      this.people.set(people);
      this.audit.set(audit);
    } catch (error) {
      this.error.set(toApiError(error).message);
    } finally {
      this.loaded.set(true);
    }
  }
}

function article(role: string): string {
  return /^[aeiou]/.test(role) ? 'an' : 'a';
}
