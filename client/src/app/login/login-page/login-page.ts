import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  afterNextRender,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';
import { LoginRequestSchema } from '@countersign/shared';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';

/** Demo data seeded by the server on a fresh database; shown so a visitor can try the app. */
const DEMO_LOGINS = [
  { role: 'Coder', email: 'coder@riverside.example' },
  { role: 'Reviewer', email: 'reviewer@riverside.example' },
  { role: 'Supervisor', email: 'supervisor@riverside.example' },
  { role: 'Admin', email: 'admin@riverside.example' },
  { role: 'Operator', email: 'operator@riverside.example' },
] as const;
const DEMO_PASSWORD = 'countersign-demo';

/** Sign in with email and password; on success, go where the person was headed. */
@Component({
  selector: 'cs-login-page',
  imports: [
    ReactiveFormsModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
  ],
  templateUrl: './login-page.html',
  styleUrl: './login-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  /** Where to go after signing in (query parameter set by the guard). */
  readonly returnUrl = input<string>();
  /** Set by the set-password page: the account whose password was just chosen. */
  readonly email = input<string>();
  readonly passwordSet = input<string>();

  protected readonly demoLogins = DEMO_LOGINS;
  protected readonly demoPassword = DEMO_PASSWORD;
  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true }),
    password: new FormControl('', { nonNullable: true }),
  });
  protected readonly signingIn = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The last session ended by automatic logoff (no activity for the idle period). */
  protected readonly signedOutForInactivity = () => this.auth.lastEndReason() === 'idle';
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('email');
  private readonly passwordInput = viewChild.required<ElementRef<HTMLInputElement>>('password');

  constructor() {
    afterNextRender(() => this.focusFirstEmpty());
  }

  protected async submit(): Promise<void> {
    if (this.signingIn()) return;
    const parsed = LoginRequestSchema.safeParse(this.form.getRawValue());
    if (!parsed.success) {
      this.error.set('Enter your email address and password.');
      return;
    }
    this.error.set(null);
    this.signingIn.set(true);
    try {
      await this.auth.login(parsed.data);
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      this.error.set(toApiError(error).message);
      this.form.controls.password.setValue('');
    } finally {
      this.signingIn.set(false);
    }
  }

  protected useDemoLogin(email: string): void {
    this.form.setValue({ email, password: this.demoPassword });
    this.error.set(null);
  }

  /** The email field, or the password's when the email came filled in (after set-password). */
  private focusFirstEmpty(): void {
    const email = this.email();
    if (email && !this.form.controls.email.value) this.form.controls.email.setValue(email);
    if (email) this.passwordInput().nativeElement.focus();
    else this.emailInput().nativeElement.focus();
  }

  /** Only paths inside the app, never another origin. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login')
      ? url
      : '/worklist';
  }
}
