import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { NewPersonSchema, ROLES, type PersonWithLink, type Role } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';
import { PasswordLinkPanel } from './password-link-panel';

type Field = 'name' | 'email' | 'role';

/**
 * Adds a person: name, email and role; then shows their one-time set-password link in the same
 * dialog. Closes with the added person (or undefined when nothing was added).
 */
@Component({
  selector: 'cs-add-person-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, PasswordLinkPanel],
  template: `
    @if (added(); as added) {
      <h2 mat-dialog-title>{{ added.person.name }} was added</h2>
      <mat-dialog-content>
        <cs-password-link-panel [link]="added.link" [name]="added.person.name" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" data-testid="link-done" (click)="done()">Done</button>
      </mat-dialog-actions>
    } @else {
      <h2 mat-dialog-title>Add person</h2>
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-dialog-content class="fields">
          <label class="field">
            <span class="label">Name</span>
            <input
              class="cs-input"
              formControlName="name"
              data-testid="person-name"
              autocomplete="off"
            />
            @if (errors()['name']; as message) {
              <span class="error" role="alert">{{ message }}</span>
            }
          </label>
          <label class="field">
            <span class="label">Email</span>
            <input
              class="cs-input"
              type="email"
              formControlName="email"
              data-testid="person-email"
              autocomplete="off"
            />
            @if (errors()['email']; as message) {
              <span class="error" role="alert" data-testid="person-email-error">{{ message }}</span>
            }
          </label>
          <label class="field">
            <span class="label">Role</span>
            <select class="cs-input" formControlName="role" data-testid="person-role">
              @for (role of roles; track role) {
                <option [value]="role">{{ role }}</option>
              }
            </select>
            @if (errors()['role']; as message) {
              <span class="error" role="alert">{{ message }}</span>
            }
          </label>
          <p class="muted hint">
            They get a one-time link to choose their own password; you will see it next.
          </p>
          @if (error(); as message) {
            <p class="error" role="alert">{{ message }}</p>
          }
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button
            mat-flat-button
            type="submit"
            data-testid="add-person-submit"
            [disabled]="saving()"
          >
            {{ saving() ? 'Adding…' : 'Add and get link' }}
          </button>
        </mat-dialog-actions>
      </form>
    }
  `,
  styles: `
    .fields {
      display: grid;
      gap: 14px;
      min-width: 400px;
    }
    .field {
      display: grid;
      gap: 4px;
    }
    .label {
      font-size: 13px;
      color: var(--cs-text-secondary);
    }
    .hint {
      margin: 0;
      font-size: 12px;
      color: var(--cs-muted);
    }
    .error {
      margin: 0;
      font-size: 12px;
      color: var(--cs-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddPersonDialog {
  private readonly api = inject(ApiClient);
  private readonly ref = inject<MatDialogRef<AddPersonDialog, PersonWithLink>>(MatDialogRef);

  protected readonly roles = ROLES;
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true }),
    email: new FormControl('', { nonNullable: true }),
    role: new FormControl<Role>('coder', { nonNullable: true }),
  });
  protected readonly saving = signal(false);
  protected readonly errors = signal<Partial<Record<Field, string>>>({});
  protected readonly error = signal<string | null>(null);
  protected readonly added = signal<PersonWithLink | null>(null);

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    const parsed = NewPersonSchema.safeParse(this.form.getRawValue());
    if (!parsed.success) {
      this.errors.set(byField(parsed.error.issues));
      return;
    }
    this.errors.set({});
    this.error.set(null);
    this.saving.set(true);
    try {
      const added = await this.api.addPerson(parsed.data);
      this.added.set(added);
      // Closing now (Escape, backdrop) must still hand the new person to the page.
      this.ref.disableClose = true;
    } catch (error) {
      const apiError = toApiError(error);
      const fields = byField(
        (apiError.details as { issues?: Array<{ path: string; message: string }> } | undefined)
          ?.issues ?? [],
      );
      if (Object.keys(fields).length) this.errors.set(fields);
      else this.error.set(apiError.message);
    } finally {
      this.saving.set(false);
    }
  }

  protected done(): void {
    this.ref.close(this.added() ?? undefined);
  }
}

/** The first message per form field, from zod issues or the server's `details.issues`. */
function byField(
  issues: ReadonlyArray<{ path: PropertyKey[] | string; message: string }>,
): Partial<Record<Field, string>> {
  const found: Partial<Record<Field, string>> = {};
  for (const issue of issues) {
    const key = String(Array.isArray(issue.path) ? issue.path[0] : issue.path) as Field;
    if (['name', 'email', 'role'].includes(key)) found[key] ??= issue.message;
  }
  return found;
}
