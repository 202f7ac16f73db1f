import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginRequest, SessionEndReason, SessionResponse } from '@countersign/shared';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';

/** At most this often, activity is reported to the server (which restarts the idle clock). */
export const ACTIVITY_REPORT_INTERVAL_MS = new InjectionToken<number>(
  'ACTIVITY_REPORT_INTERVAL_MS',
  {
    providedIn: 'root',
    factory: () => 60_000,
  },
);

/** How long before the automatic sign-out the warning shows. */
export const IDLE_WARNING_MS = new InjectionToken<number>('IDLE_WARNING_MS', {
  providedIn: 'root',
  factory: () => 60_000,
});

/** What a person does at the keyboard or with the mouse; nothing else counts as activity. */
const ACTIVITY_EVENTS = [
  'keydown',
  'mousedown',
  'mousemove',
  'wheel',
  'touchstart',
  'pointerdown',
] as const;

/** setTimeout's longest delay; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The idle deadline in this browser's clock: counted from the answer, so a wrong clock does not matter. */
function localDeadline(session: SessionResponse): number {
  return Date.now() + session.idleRemainingSeconds * 1000;
}

/** The warning before the automatic sign-out: when it will happen (epoch ms). */
export interface IdleWarning {
  signOutAt: number;
}

/**
 * Who is signed in. The session lives in an httpOnly cookie the browser cannot read, so the
 * service asks the server at start and sends the person to /login when the server says the
 * session has ended.
 *
 * Automatic logoff: the server ends a session after a period without activity. The client
 * reports activity (keyboard, mouse) at most once a minute and never on a timer of its own, so
 * an unattended tab really expires. A minute before the deadline it asks the server whether
 * another tab was active; if not, it shows a warning (`idleWarning`), and at the deadline it
 * signs out.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly reportIntervalMs = inject(ACTIVITY_REPORT_INTERVAL_MS);
  private readonly warningMs = inject(IDLE_WARNING_MS);
  private readonly session = signal<SessionResponse | null>(null);
  private readonly warning = signal<IdleWarning | null>(null);
  private readonly endReason = signal<SessionEndReason | null>(null);
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** When activity was last seen here and last reported to the server (epoch ms). */
  private lastActivityAt = 0;
  private lastReportAt = 0;
  private reporting: Promise<void> | null = null;

  readonly user = computed(() => this.session()?.user ?? null);
  readonly signedIn = computed(() => this.session() !== null);
  /** Set a minute before the automatic sign-out; cleared by activity. */
  readonly idleWarning = this.warning.asReadonly();
  /** Why the last session ended, for the login page (`idle`: signed out for inactivity). */
  readonly lastEndReason = this.endReason.asReadonly();

  constructor() {
    for (const type of ACTIVITY_EVENTS)
      this.document.addEventListener(type, this.onActivity, { passive: true, capture: true });
    inject(DestroyRef).onDestroy(() => {
      for (const type of ACTIVITY_EVENTS)
        this.document.removeEventListener(type, this.onActivity, { capture: true });
      this.stopTimer();
    });
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
    const session = await this.api.login(request);
    this.lastReportAt = Date.now();
    this.endReason.set(null);
    this.start(session);
  }

  async logout(): Promise<void> {
    this.clear();
    try {
      await this.api.logout();
    } catch {
      // Signed out here either way; the server ends an idle session on its own.
    }
    await this.router.navigateByUrl('/login');
  }

  /** The person answered the warning: report activity now. */
  staySignedIn(): void {
    this.lastActivityAt = Date.now();
    void this.report();
  }

  /** The server refused the session (HTTP 401, a refused socket, `session:ended`): back to /login. */
  sessionEnded(reason: SessionEndReason | null = null): void {
    if (!this.signedIn()) return;
    this.clear();
    this.endReason.set(reason);
    const returnUrl = this.router.url;
    void this.router.navigate(['/login'], {
      queryParams: returnUrl && !returnUrl.startsWith('/login') ? { returnUrl } : {},
    });
  }

  private readonly onActivity = (): void => {
    if (!this.signedIn()) return;
    this.lastActivityAt = Date.now();
    if (this.warning() || this.lastActivityAt - this.lastReportAt >= this.reportIntervalMs)
      void this.report();
  };

  /** Tells the server the person is here; the answer carries the new idle deadline. */
  private report(): Promise<void> {
    return (this.reporting ??= (async () => {
      this.lastReportAt = Date.now();
      try {
        const session = await this.api.activity();
        // Activity while the report was on its way (the rest of a click) is covered by it.
        this.lastReportAt = Date.now();
        this.start(session);
      } catch (error) {
        // A network blip must not sign anyone out; only the server's word ends the session.
        if (error instanceof ApiError && error.code === 'unauthenticated')
          this.sessionEnded('idle');
      } finally {
        this.reporting = null;
      }
    })());
  }

  private start(session: SessionResponse): void {
    this.session.set(session);
    this.warning.set(null);
    this.schedule(localDeadline(session));
  }

  /** One timer: the check a warning's length before `deadline` (re-checked when it is past a timer's 24.8-day range). */
  private schedule(deadline: number): void {
    this.stopTimer();
    const wait = deadline - this.warningMs - Date.now();
    this.idleTimer =
      wait > MAX_TIMER_MS
        ? setTimeout(() => this.schedule(deadline), MAX_TIMER_MS)
        : setTimeout(() => void this.beforeDeadline(deadline), Math.max(0, wait));
  }

  private async beforeDeadline(deadline: number): Promise<void> {
    if (!this.signedIn()) return;
    // Activity here since the last report: report it instead of warning.
    if (this.lastActivityAt > this.lastReportAt) return this.report();
    try {
      const current = await this.api.session();
      // Another tab was active: the server's deadline moved on (by more than the answer's rounding).
      if (localDeadline(current) > deadline + 2000) return this.start(current);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated')
        return this.sessionEnded('idle');
    }
    if (!this.signedIn()) return;
    this.warning.set({ signOutAt: deadline });
    this.stopTimer();
    this.idleTimer = setTimeout(() => void this.atDeadline(), Math.max(0, deadline - Date.now()));
  }

  private async atDeadline(): Promise<void> {
    if (!this.signedIn() || !this.warning()) return;
    this.endReason.set('idle');
    await this.logout();
  }

  private clear(): void {
    this.stopTimer();
    this.warning.set(null);
    this.session.set(null);
  }

  private stopTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
