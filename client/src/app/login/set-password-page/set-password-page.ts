import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { MIN_PASSWORD_LENGTH, NewPasswordSchema, type PasswordLinkInfo } from '@countersign/shared';
import { ApiClient } from '../../core/api/api-client';
import { toApiError } from '../../core/api/api-error';

/**
 * Public: a person opens the one-time link an admin gave them, sees whose account it is,
 * chooses a password (twice) and goes on to sign in. A link that does not work (used, expired,
 * replaced) says so without saying which.
 */
@Component({
  selector: 'cs-set-password-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
  ],
  templateUrl: './set-password-page.html',
  styleUrl: '../login-page/login-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SetPasswordPage {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);

  /** The link's token (route parameter). */
  readonly token = input.required<string>();

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly info = signal<PasswordLinkInfo | null>(null);
  protected readonly linkError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly form = new FormGroup({
    password: new FormControl('', { nonNullable: true }),
    repeat: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    effect(() => {
      const token = this.token();
      untracked(() => void this.describe(token));
    });
  }

  protected async submit(): Promise<void> {
    if (this.saving()) return;
    const { password, repeat } = this.form.getRawValue();
    const parsed = NewPasswordSchema.safeParse(password);
    if (!parsed.success) {
      this.error.set(parsed.error.issues[0]?.message ?? 'Choose another password');
      return;
    }
    if (password !== repeat) {
      this.error.set('The two passwords are not the same');
      return;
    }
    this.error.set(null);
    this.saving.set(true);
    try {
      const { email } = await this.api.setPassword({ token: this.token(), password });
      await this.router.navigate(['/login'], { queryParams: { email, passwordSet: 1 } });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'not_found') this.linkError.set(apiError.message);
      else this.error.set(apiError.message);
    } finally {
      this.saving.set(false);
    }
  }

  private async describe(token: string): Promise<void> {
    try {
      this.info.set(await this.api.passwordLinkInfo(token));
    } catch (error) {
      this.linkError.set(toApiError(error).message);
    }
  }
}
