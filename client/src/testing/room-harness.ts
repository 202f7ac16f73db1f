import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { Encounter, LiveEdits, PresenceMember } from '@countersign/shared';
import { AuthService } from '../app/core/auth/auth.service';
import { provideAppIcons } from '../app/core/icons';
import { LIVE_ACK_TIMEOUT_MS } from '../app/core/realtime/live-room';
import { LIVE_SOCKET_FACTORY } from '../app/core/realtime/live-socket';
import { EncounterPage } from '../app/encounter/encounter-page/encounter-page';
import {
  CODER_PRESENCE,
  ENCOUNTER_ID,
  REVIEWER_PRESENCE,
  makeEdits,
  sessionUser,
} from './encounter-fixtures';
import { FakeLiveSocket } from './fake-live-socket';
import { settle } from './settle';

/**
 * The encounter page on a fake live socket, signed in as one role: what the review room specs
 * drive. `settle()` lets acks and renders run; the helpers find elements by `data-testid`.
 */
export class RoomHarness {
  readonly socket: FakeLiveSocket;
  readonly http: HttpTestingController;
  readonly fixture: ComponentFixture<EncounterPage>;

  private constructor(socket: FakeLiveSocket) {
    this.socket = socket;
    this.http = TestBed.inject(HttpTestingController);
    this.fixture = TestBed.createComponent(EncounterPage);
  }

  static async open(
    encounter: Encounter,
    role: 'coder' | 'reviewer' | 'supervisor' = 'coder',
    presence: PresenceMember[] = [CODER_PRESENCE, REVIEWER_PRESENCE],
    edits?: LiveEdits,
    options: { keepDrafts?: boolean } = {},
  ): Promise<RoomHarness> {
    // Each spec starts as a fresh tab; `keepDrafts` reopens in the same tab (a reload).
    if (!options.keepDrafts) sessionStorage.clear();
    const socket = new FakeLiveSocket().answer('room:join', () => ({
      ok: true,
      data: {
        encounter,
        seq: encounter.version,
        presence,
        edits: edits ?? makeEdits(encounter.version),
      },
    }));
    TestBed.configureTestingModule({
      imports: [EncounterPage],
      providers: [
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
        { provide: LIVE_SOCKET_FACTORY, useValue: () => socket.asSocket() },
        { provide: LIVE_ACK_TIMEOUT_MS, useValue: 60_000 },
        {
          provide: AuthService,
          useValue: { user: signal(sessionUser(role)), sessionEnded: jest.fn() },
        },
      ],
    });
    const harness = new RoomHarness(socket);
    harness.fixture.componentRef.setInput('id', ENCOUNTER_ID);
    await harness.settle();
    return harness;
  }

  get root(): HTMLElement {
    return this.fixture.nativeElement as HTMLElement;
  }

  /**
   * Lets acks and HTTP promise chains run, then renders. Under Jest's fake timers it moves the
   * clock by a few milliseconds instead of waiting, so no real time passes (ack timeouts, far
   * off, do not fire).
   */
  async settle(): Promise<void> {
    if (fakeTimersInUse()) return settle(this.fixture);
    await new Promise((resolve) => setTimeout(resolve));
    await this.fixture.whenStable();
  }

  /** Under fake timers: moves the clock on by `ms` (a reconnect delay, a blip), then renders. */
  async advance(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    await this.settle();
  }

  all<T extends HTMLElement = HTMLElement>(testId: string, within: ParentNode = this.root): T[] {
    return [...within.querySelectorAll<T>(`[data-testid="${testId}"]`)];
  }

  one<T extends HTMLElement = HTMLElement>(testId: string, within: ParentNode = this.root): T {
    return within.querySelector(`[data-testid="${testId}"]`) as T;
  }

  /** The row of the line with `lineId`, and the detail row under it. */
  row(lineId: string): HTMLElement {
    return this.root.querySelector(
      `[data-testid="claim-line"][data-line-id="${lineId}"]`,
    ) as HTMLElement;
  }

  detail(lineId: string): HTMLElement {
    return this.root.querySelector(
      `[data-testid="line-detail"][data-line-id="${lineId}"]`,
    ) as HTMLElement;
  }

  text(element: Element | null): string {
    return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  select(select: HTMLSelectElement, value: string): void {
    select.value = value;
    select.dispatchEvent(new Event('change'));
  }

  press(element: HTMLElement | Document, key: string): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
    element.dispatchEvent(event);
    return event;
  }

  /** Answers the catalogue lookups the page makes, with nothing. */
  ignoreLookups(): void {
    this.http
      .match((request) => request.url === '/api/catalog/lookup')
      .forEach((r) => r.flush({ items: [] }));
  }
}

/** Whether Jest's modern fake timers are installed (they mark the functions they replace with their clock). */
function fakeTimersInUse(): boolean {
  return (
    typeof jest !== 'undefined' &&
    typeof (setTimeout as unknown as { clock?: unknown }).clock === 'object'
  );
}
