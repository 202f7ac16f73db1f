import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { SessionResponse } from '@countersign/shared';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import { sessionExpiryInterceptor } from '../api/session-expiry.interceptor';
import { AuthService, SESSION_RENEW_INTERVAL_MS } from './auth.service';

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
};
const RENEW_MS = 60_000;
const unauthenticated = { code: 'unauthenticated', message: 'Your session has ended; sign in again' };

describe(AuthService.name, () => {
  let auth: AuthService;
  let http: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    jest.useFakeTimers();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([sessionExpiryInterceptor])),
        provideHttpClientTesting(),
        { provide: SESSION_RENEW_INTERVAL_MS, useValue: RENEW_MS },
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
    http.expectOne('/api/auth/session').flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await restore;
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('signs in with the credentials and exposes the user', async () => {
    const login = auth.login({ email: 'coder@riverside.example', password: 'countersign-demo' });
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ email: 'coder@riverside.example', password: 'countersign-demo' });
    request.flush(SESSION);
    await login;
    expect(auth.user()).toEqual(SESSION.user);
  });

  it('rejects bad credentials with the server message and stays signed out', async () => {
    const login = auth.login({ email: 'coder@riverside.example', password: 'nope' });
    http
      .expectOne('/api/auth/login')
      .flush({ code: 'invalid_credentials', message: 'Email or password is not right' }, { status: 401, statusText: 'Unauthorized' });
    await expect(login).rejects.toEqual(new ApiError('invalid_credentials', 'Email or password is not right'));
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).not.toHaveBeenCalled();
  });

  it('renews the session on a timer while signed in', async () => {
    await signIn();
    jest.advanceTimersByTime(RENEW_MS);
    http.expectOne({ method: 'GET', url: '/api/auth/session' }).flush({ ...SESSION, expiresAt: '2026-01-03T10:00:00.000Z' });
    jest.advanceTimersByTime(RENEW_MS);
    http.expectOne('/api/auth/session').flush(SESSION);
    expect(auth.signedIn()).toBe(true);
  });

  it('keeps the person signed in when a renewal fails on the network', async () => {
    await signIn();
    jest.advanceTimersByTime(RENEW_MS);
    http.expectOne('/api/auth/session').error(new ProgressEvent('error'), { status: 0 });
    await settle();
    expect(auth.signedIn()).toBe(true);
  });

  it('sends the person to /login when a renewal is refused', async () => {
    await signIn();
    jest.spyOn(router, 'url', 'get').mockReturnValue('/encounters/abc');
    jest.advanceTimersByTime(RENEW_MS);
    http.expectOne('/api/auth/session').flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await settle();
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/encounters/abc' } });
    jest.advanceTimersByTime(RENEW_MS * 3);
    http.expectNone('/api/auth/session');
  });

  it('ends the session when any API call answers 401 unauthenticated', async () => {
    await signIn();
    const call = TestBed.inject(ApiClient).worklist({});
    http.expectOne('/api/encounters').flush(unauthenticated, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(auth.signedIn()).toBe(false);
    expect(router.navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('signs out on the server, forgets the user and goes to /login', async () => {
    await signIn();
    const logout = auth.logout();
    expect(auth.signedIn()).toBe(false);
    http.expectOne({ method: 'POST', url: '/api/auth/logout' }).flush(null, { status: 204, statusText: 'No Content' });
    await logout;
    expect(router.navigateByUrl).toHaveBeenCalledWith('/login');
    jest.advanceTimersByTime(RENEW_MS * 2);
    http.expectNone('/api/auth/session');
  });
});
