import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { SessionResponse } from '@countersign/shared';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { LoginPage } from './login-page';

const SESSION: SessionResponse = {
  user: {
    id: '11111111-1111-4111-8111-111111111111',
    email: 'coder@riverside.example',
    name: 'Casey Coder',
    role: 'coder',
    organizationId: '33333333-3333-4333-8333-333333333333',
    organizationName: 'Riverside',
  },
  expiresAt: '2026-01-02T10:00:00.000Z',
  // Far off: no idle check falls inside these tests.
  idleExpiresAt: '2099-01-01T10:15:00.000Z',
  idleTimeoutSeconds: 900,
  idleRemainingSeconds: 900,
};

describe(LoginPage.name, () => {
  let fixture: ComponentFixture<LoginPage>;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    // The idle timer of a successful sign-in must not outlive the test.
    TestBed.inject(AuthService).sessionEnded();
  });

  const el = <T extends HTMLElement>(testId: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${testId}"]`) as T | null;

  function type(testId: string, value: string): void {
    const input = el<HTMLInputElement>(testId)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  /** Lets the sign-in promise chain run, then renders. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    el<HTMLButtonElement>('login-submit')!.click();
    await settle();
  }

  it('after a password was set: says so, fills the email and waits in the password field', async () => {
    const after = TestBed.createComponent(LoginPage);
    after.componentRef.setInput('email', 'ivy@clinic.example');
    after.componentRef.setInput('passwordSet', '1');
    document.body.appendChild(after.nativeElement);
    await after.whenStable();
    const root = after.nativeElement as HTMLElement;
    const email = root.querySelector<HTMLInputElement>('[data-testid="login-email"]')!;
    const password = root.querySelector<HTMLInputElement>('[data-testid="login-password"]')!;
    expect(email.value).toBe('ivy@clinic.example');
    expect(document.activeElement).toBe(password);
    expect(root.querySelector('[data-testid="password-set"]')?.textContent).toContain(
      'Your password is set',
    );
    expect(el('password-set')).toBeNull();
    after.nativeElement.remove();
  });

  it('signs in with what was typed and goes to the worklist', async () => {
    type('login-email', ' Coder@Riverside.example ');
    type('login-password', 'countersign-demo');
    await submit();

    const request = http.expectOne({ method: 'POST', url: '/api/auth/login' });
    expect(request.request.body).toEqual({
      email: 'coder@riverside.example',
      password: 'countersign-demo',
    });
    expect(el<HTMLButtonElement>('login-submit')!.disabled).toBe(true);
    expect(el('login-submit')!.textContent).toContain('Signing in');

    request.flush(SESSION);
    await settle();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/worklist');
  });

  it('returns to the page the guard came from, but never to another origin', async () => {
    fixture.componentRef.setInput('returnUrl', '//evil.example/phish');
    type('login-email', 'coder@riverside.example');
    type('login-password', 'countersign-demo');
    await submit();
    http.expectOne('/api/auth/login').flush(SESSION);
    await settle();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/worklist');
  });

  it('goes back to the requested page after signing in', async () => {
    fixture.componentRef.setInput('returnUrl', '/encounters/42');
    type('login-email', 'coder@riverside.example');
    type('login-password', 'countersign-demo');
    await submit();
    http.expectOne('/api/auth/login').flush(SESSION);
    await settle();
    expect(router.navigateByUrl).toHaveBeenCalledWith('/encounters/42');
  });

  it('shows the server message on bad credentials and lets the person try again', async () => {
    type('login-email', 'coder@riverside.example');
    type('login-password', 'wrong');
    await submit();
    http
      .expectOne('/api/auth/login')
      .flush(
        { code: 'invalid_credentials', message: 'Email or password is not right' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await settle();

    expect(el('login-error')!.textContent).toContain('Email or password is not right');
    expect(el<HTMLButtonElement>('login-submit')!.disabled).toBe(false);
    expect(el<HTMLInputElement>('login-password')!.value).toBe('');
    expect(el<HTMLInputElement>('login-email')!.value).toBe('coder@riverside.example');
    expect(router.navigateByUrl).not.toHaveBeenCalled();
  });

  it('asks for both fields before sending anything', async () => {
    type('login-email', 'coder@riverside.example');
    await submit();
    http.expectNone('/api/auth/login');
    expect(el('login-error')!.textContent).toContain('Enter your email address and password');
  });

  it('fills the form from a demo login', async () => {
    const demo = [...fixture.nativeElement.querySelectorAll('.demo-login')].find((b: HTMLElement) =>
      b.textContent?.includes('reviewer@riverside.example'),
    ) as HTMLButtonElement;
    demo.click();
    await fixture.whenStable();
    expect(el<HTMLInputElement>('login-email')!.value).toBe('reviewer@riverside.example');
    expect(el<HTMLInputElement>('login-password')!.value).toBe('countersign-demo');
  });
});
