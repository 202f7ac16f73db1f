import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { SessionResponse } from '@countersign/shared';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { sessionExpiryInterceptor } from '../api/session-expiry.interceptor';
import { ACTIVITY_REPORT_INTERVAL_MS, AuthService, IDLE_WARNING_MS } from './auth.service';

const SESSION: SessionResponse = {
  user: {
    id: '11111111-1111-4111-8111-111111111111',
    email: 'coder@riverside.example',
    name: 'Casey Coder',
    role: 'coder',
    organizationId: '33333333-3333-4333-8333-333333333333',
    organizationName: 'Riverside Orthopedics & Family Medicine',
  },
  expiresAt: '2026-01-02T10:00:00.000Z',
  idleExpiresAt: '2026-01-01T10:15:00.000Z',
  idleTimeoutSeconds: 15 * 60,
  idleRemainingSeconds: 15 * 60,
};
const NOW = Date.parse('2026-01-01T10:00:00.000Z');
const MINUTE = 60_000;
const IDLE_MS = 15 * MINUTE;
/** The session as the server answers now when it last saw activity at `lastActivity` (epoch ms). */
const sessionAt = (lastActivity: number): SessionResponse => ({
  ...SESSION,
  idleExpiresAt: new Date(lastActivity + IDLE_MS).toISOString(),
  idleRemainingSeconds: Math.max(0, Math.floor((lastActivity + IDLE_MS - Date.now()) / 1000)),
});
const unauthenticated = {
  code: 'unauthenticated',
  message: 'Your session has ended; sign in again',
};

describe(AuthService.name, () => {
  let auth: AuthService;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([sessionExpiryInterceptor])),
        provideHttpClientTesting(),
        { provide: ACTIVITY_REPORT_INTERVAL_MS, useValue: MINUTE },
        { provide: IDLE_WARNING_MS, useValue: MINUTE },
      ],
    });
    auth = TestBed.inject(AuthService);
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigate').mockResolvedValue(true);
    jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
  });

  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
    jest.useRealTimers();
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }

  async function signIn(): Promise<void> {
    const login = auth.login({ email: 'coder@riverside.example', password: 'countersign-demo' });
    http.expectOne({ method: 'POST', url: '/api/auth/login' }).flush(SESSION);
    await login;
  }

  it('restores the session the cookie carries at start', async () => {
    const restore = auth.restore();
    http.expectOne({ method: 'GET', url: '/api/auth/session' }).flush(SESSION);
    await restore;
    expect(auth.signedIn()).toBe(true);
    expect(auth.user()?.name).toBe('Casey Coder');
  });

  it('starts signed out when the server has no session, without navigating', async () => {
    const restore = auth.restore();
    http
      .expectOne('/api/auth/session')
      .flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await restore;
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('signs in with the credentials and exposes the user', async () => {
    const login = auth.login({ email: 'coder@riverside.example', password: 'countersign-demo' });
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({
      email: 'coder@riverside.example',
      password: 'countersign-demo',
    });
    request.flush(SESSION);
    await login;
    expect(auth.user()).toEqual(SESSION.user);
  });

  it('rejects bad credentials with the server message and stays signed out', async () => {
    const login = auth.login({ email: 'coder@riverside.example', password: 'nope' });
    http
      .expectOne('/api/auth/login')
      .flush(
        { code: 'invalid_credentials', message: 'Email or password is not right' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(login).rejects.toEqual(
      new ApiError('invalid_credentials', 'Email or password is not right'),
    );
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).not.toHaveBeenCalled();
  });

  /** A keystroke or mouse move somewhere in the page. */
  function act(type: 'keydown' | 'mousemove' | 'mousedown' = 'keydown'): void {
    document.dispatchEvent(new Event(type));
  }

  it('never renews the session on a timer: without activity nothing is sent before the idle check', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE - 1);
    http.expectNone('/api/auth/activity');
    http.expectNone('/api/auth/session');
  });

  it('reports keyboard and mouse activity at most once a minute', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(MINUTE);
    act('keydown');
    http.expectOne({ method: 'POST', url: '/api/auth/activity' }).flush(sessionAt(Date.now()));
    await settle();
    await jest.advanceTimersByTimeAsync(30_000);
    act('mousemove');
    act('mousedown');
    http.expectNone('/api/auth/activity');
    await jest.advanceTimersByTimeAsync(30_000);
    act('mousemove');
    http.expectOne('/api/auth/activity').flush(sessionAt(Date.now()));
    await settle();
    expect(auth.signedIn()).toBe(true);
  });

  it('counts the idle period from the server’s answer, not from a wrong browser clock', async () => {
    await signIn();
    jest.setSystemTime(NOW + 3 * 60 * MINUTE); // The browser's clock jumps three hours.
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE - 1);
    http.expectNone('/api/auth/session');
    await jest.advanceTimersByTimeAsync(1);
    http.expectOne('/api/auth/session').flush(sessionAt(NOW));
  });

  it('warns a minute before the idle deadline, after asking the server whether another tab was active', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE);
    http.expectOne({ method: 'GET', url: '/api/auth/session' }).flush(sessionAt(NOW));
    await settle();
    expect(auth.idleWarning()).toEqual({ signOutAt: NOW + IDLE_MS });
    expect(auth.signedIn()).toBe(true);
  });

  it('signs out at the idle deadline when nobody answered the warning, and says why', async () => {
    await signIn();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/encounters/abc');
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE);
    http.expectOne('/api/auth/session').flush(sessionAt(NOW));
    await settle();
    await jest.advanceTimersByTimeAsync(MINUTE);
    http
      .expectOne({ method: 'POST', url: '/api/auth/logout' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(auth.signedIn()).toBe(false);
    expect(auth.lastEndReason()).toBe('idle');
    expect(router.navigateByUrl).toHaveBeenCalledWith('/login');
    await jest.advanceTimersByTimeAsync(IDLE_MS * 2);
    http.expectNone('/api/auth/session');
  });

  it('"Stay signed in" reports activity, clears the warning and starts a new idle period', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE);
    http.expectOne('/api/auth/session').flush(sessionAt(NOW));
    await settle();
    expect(auth.idleWarning()).not.toBeNull();
    auth.staySignedIn();
    http.expectOne({ method: 'POST', url: '/api/auth/activity' }).flush(sessionAt(Date.now()));
    await settle();
    expect(auth.idleWarning()).toBeNull();
    // The old deadline passes without a sign-out.
    await jest.advanceTimersByTimeAsync(MINUTE * 2);
    http.expectNone('/api/auth/logout');
    expect(auth.signedIn()).toBe(true);
  });

  it('any keyboard or mouse activity during the warning also keeps the person signed in', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE);
    http.expectOne('/api/auth/session').flush(sessionAt(NOW));
    await settle();
    act('mousemove');
    http.expectOne('/api/auth/activity').flush(sessionAt(Date.now()));
    await settle();
    expect(auth.idleWarning()).toBeNull();
  });

  it('does not warn when another tab kept the session alive', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - MINUTE);
    http.expectOne('/api/auth/session').flush(sessionAt(Date.now()));
    await settle();
    expect(auth.idleWarning()).toBeNull();
    await jest.advanceTimersByTimeAsync(MINUTE * 2);
    http.expectNone('/api/auth/logout');
    expect(auth.signedIn()).toBe(true);
  });

  it('reports activity seen since the last report instead of warning', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(IDLE_MS - 2 * MINUTE);
    act('keydown');
    http.expectOne('/api/auth/activity').flush(sessionAt(Date.now()));
    await settle();
    expect(auth.idleWarning()).toBeNull();
  });

  it('keeps the person signed in when an activity report fails on the network', async () => {
    await signIn();
    await jest.advanceTimersByTimeAsync(MINUTE);
    act('keydown');
    http.expectOne('/api/auth/activity').error(new ProgressEvent('error'), { status: 0 });
    await settle();
    expect(auth.signedIn()).toBe(true);
  });

  it('sends the person to /login when the server refuses an activity report', async () => {
    await signIn();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/encounters/abc');
    await jest.advanceTimersByTimeAsync(MINUTE);
    act('keydown');
    http
      .expectOne('/api/auth/activity')
      .flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { returnUrl: '/encounters/abc' },
    });
  });

  it('ends the session when any API call answers 401 unauthenticated', async () => {
    await signIn();
    const call = TestBed.inject(ApiClient).worklist({});
    http
      .expectOne('/api/encounters')
      .flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('signs out on the server, forgets the user and goes to /login', async () => {
    await signIn();
    const logout = auth.logout();
    expect(auth.signedIn()).toBe(false);
    http
      .expectOne({ method: 'POST', url: '/api/auth/logout' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await logout;
    expect(router.navigateByUrl).toHaveBeenCalledWith('/login');
    await jest.advanceTimersByTimeAsync(IDLE_MS * 2);
    act('keydown');
    http.expectNone('/api/auth/session');
    http.expectNone('/api/auth/activity');
  });
});
