import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { provideAppIcons } from '../../core/icons';
import { SetPasswordPage } from './set-password-page';

@Component({ template: 'sign in' })
class LoginStub {}

const TOKEN = 'A'.repeat(43);

describe(SetPasswordPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        provideRouter(
          [
            { path: 'set-password/:token', component: SetPasswordPage },
            { path: 'login', component: LoginStub },
          ],
          withComponentInputBinding(),
        ),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });
  afterEach(() => http.verify());

  const root = () => harness.routeNativeElement as HTMLElement;
  const one = (id: string) => root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => one(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await harness.fixture.whenStable();
      harness.detectChanges();
    }
  }

  async function open(): Promise<void> {
    await harness.navigateByUrl(`/set-password/${TOKEN}`);
    http.expectOne(`/api/auth/password-links/${TOKEN}`).flush({
      name: 'Ivy Invited',
      organizationName: 'Riverside',
      purpose: 'invite',
      expiresAt: '2026-01-04T00:00:00.000Z',
    });
    await settle();
  }

  function type(id: string, value: string): void {
    const input = one(id) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('names whose account it is, checks the password, sets it and goes to sign-in', async () => {
    await open();
    expect(text('set-password-whom')).toBe('For Ivy Invited at Riverside.');
    type('set-password', 'too short');
    one('set-password-submit')!.click();
    await settle();
    expect(text('set-password-error')).toBe('Use at least 12 characters');
    type('set-password', 'a long enough passphrase');
    type('set-password-repeat', 'a long enough passphrase!');
    one('set-password-submit')!.click();
    await settle();
    expect(text('set-password-error')).toBe('The two passwords are not the same');
    http.expectNone('/api/auth/set-password');

    type('set-password-repeat', 'a long enough passphrase');
    one('set-password-submit')!.click();
    const request = http.expectOne('/api/auth/set-password');
    expect(request.request.body).toEqual({ token: TOKEN, password: 'a long enough passphrase' });
    request.flush({ email: 'ivy@clinic.example' });
    await settle();
    expect(TestBed.inject(Router).url).toBe('/login?email=ivy@clinic.example&passwordSet=1');
  });

  it('says a used, expired or replaced link does not work', async () => {
    await harness.navigateByUrl(`/set-password/${TOKEN}`);
    http
      .expectOne(`/api/auth/password-links/${TOKEN}`)
      .flush(
        { code: 'not_found', message: 'This set-password link does not work.' },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    expect(text('set-password-link-error')).toBe('This set-password link does not work.');
    expect(one('set-password')).toBeNull();
  });
});
