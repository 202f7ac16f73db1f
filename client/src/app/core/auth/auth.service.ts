import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginRequest, SessionResponse } from '@countersign/shared';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';

/** How often an open app renews its session, so a person at work is never signed out. */
export const SESSION_RENEW_INTERVAL_MS = new InjectionToken<number>('SESSION_RENEW_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 10 * 60 * 1000,
});

/**
 * Who is signed in. The session lives in an httpOnly cookie the browser cannot read, so the
 * service asks the server at start, renews it on a timer while signed in, and sends the person
 * to /login when the server says the session has ended.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly renewIntervalMs = inject(SESSION_RENEW_INTERVAL_MS);
  private readonly session = signal<SessionResponse | null>(null);
  private renewTimer: ReturnType<typeof setInterval> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly signedIn = computed(() => this.session() !== null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopRenewing());
  }

  /** At app start: resumes the session the cookie carries, if any. Never throws. */
  async restore(): Promise<void> {
    try {
      this.start(await this.api.session());
    } catch {
      this.clear();
    }
  }

  /** Signs in; rejects with the server's ApiError (e.g. `invalid_credentials`). */
  async login(request: LoginRequest): Promise<void> {
    this.start(await this.api.login(request));
  }

  async logout(): Promise<void> {
    this.clear();
    try {
      await this.api.logout();
    } catch {
      // Signed out here either way; an unreachable server's cookie still expires on its own.
    }
    await this.router.navigateByUrl('/login');
  }

  /** The server refused the session (HTTP 401 or a refused socket): back to /login. */
  sessionEnded(): void {
    if (!this.signedIn()) return;
    this.clear();
    const returnUrl = this.router.url;
    void this.router.navigate(['/login'], {
      queryParams: returnUrl && !returnUrl.startsWith('/login') ? { returnUrl } : {},
    });
  }

  private async renew(): Promise<void> {
    try {
      this.session.set(await this.api.session());
    } catch (error) {
      // A network blip must not sign anyone out; only the server's word ends the session.
      if (error instanceof ApiError && error.code === 'unauthenticated') this.sessionEnded();
    }
  }

  private start(session: SessionResponse): void {
    this.session.set(session);
    this.stopRenewing();
    this.renewTimer = setInterval(() => void this.renew(), this.renewIntervalMs);
  }

  private clear(): void {
    this.stopRenewing();
    this.session.set(null);
  }

  private stopRenewing(): void {
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    this.renewTimer = null;
  }
}
