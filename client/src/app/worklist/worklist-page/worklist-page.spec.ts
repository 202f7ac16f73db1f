import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  emptyQueueCounts,
  toWorklistRow,
  type WorklistItem,
  type WorklistResponse,
} from '@countersign/shared';
import { of } from 'rxjs';
import {
  CODER,
  REVIEWER,
  makeId,
  makeSummary,
  sessionUser,
} from '../../../testing/encounter-fixtures';
import { FakeLiveSocket } from '../../../testing/fake-live-socket';
import { settle as settleFixture } from '../../../testing/settle';
import { AuthService } from '../../core/auth/auth.service';
import { provideAppIcons } from '../../core/icons';
import { LIVE_SOCKET_FACTORY } from '../../core/realtime/live-socket';
import { AssignDialog } from '../../encounter/assign-dialog/assign-dialog';
import {
  REFRESH_DEBOUNCE_MS,
  REFRESH_MAX_WAIT_MS,
  SEARCH_DEBOUNCE_MS,
  WorklistPage,
} from './worklist-page';
import { patchRows } from './worklist-queues';
import { defaultQueue, mayMove, paramsFromView, viewFromParams } from './worklist-view';

@Component({ template: 'encounter' })
class EncounterStub {}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 9, minute)).toISOString();

function item(
  name: string,
  status: WorklistItem['status'],
  minute: number,
  coder = CODER,
): WorklistItem {
  return {
    ...makeSummary({
      status,
      coder,
      reviewer: status === 'draft' ? null : REVIEWER,
      updatedAt: at(minute),
    }),
    id: makeId('ffffffff'),
    patient: { mrn: `MRN-${minute}`, name, dateOfBirth: '1970-01-01' },
    errorCount: 0,
  };
}

function answer(items: WorklistItem[], total = items.length, page = 1): WorklistResponse {
  return {
    items,
    total,
    page,
    pageSize: 50,
    queues: { ...emptyQueueCounts(), all: total, review: 2, signoff: 1, drafts: 1 },
  };
}

describe(WorklistPage.name, () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let socket: FakeLiveSocket;
  let rows: WorklistItem[];
  let dialog: { open: jest.Mock };

  const settle = (ms = 0) => settleFixture(harness.fixture, ms);
  const page = () => harness.routeNativeElement!;
  const router = () => TestBed.inject(Router);
  const names = () =>
    [...page().querySelectorAll('[data-testid="worklist-row"] .patient')].map((a) =>
      a.textContent.trim(),
    );
  const count = (queue: string) =>
    page()
      .querySelector(`[data-testid="queue-${queue}"] [data-testid="queue-count"]`)!
      .textContent.trim();
  const worklistRequests = () => http.match((r) => r.url === '/api/encounters');
  const params = (request: TestRequest) =>
    Object.fromEntries(
      request.request.params.keys().map((k) => [k, request.request.params.get(k)]),
    );

  async function start(
    role: 'coder' | 'reviewer' | 'supervisor',
    url = '/worklist',
  ): Promise<Record<string, string | null>> {
    socket = new FakeLiveSocket().answer('worklist:watch', () => ({ ok: true, data: null }));
    dialog = { open: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'worklist', component: WorklistPage },
            { path: 'encounters/:id', component: EncounterStub },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideAppIcons(),
        { provide: LIVE_SOCKET_FACTORY, useValue: () => socket.asSocket() },
        { provide: MatDialog, useValue: dialog },
        {
          provide: AuthService,
          useValue: { user: signal(sessionUser(role)), sessionEnded: jest.fn() },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    await settle();
    http.match((r) => r.url === '/api/users').forEach((r) => r.flush({ items: [] }));
    const [request, ...more] = worklistRequests();
    expect(more).toHaveLength(0);
    const sent = params(request!);
    request!.flush(answer(rows, rows.length, Number(sent['page'] ?? 1)));
    await settle();
    return sent;
  }

  beforeEach(() => {
    jest.useFakeTimers();
    rows = [
      item('Ada Draft', 'draft', 50),
      item('Cy Submitted', 'submitted', 48),
      item('Di In review', 'in_review', 47),
    ];
  });
  afterEach(() => jest.useRealTimers());

  it('asks the server for the queue of the role and shows its rows and server counts', async () => {
    const sent = await start('reviewer');
    expect(sent).toEqual({ queue: 'review' });
    expect(names()).toEqual(['Ada Draft', 'Cy Submitted', 'Di In review']);
    expect(['drafts', 'review', 'signoff', 'unassigned', 'all'].map(count)).toEqual([
      '1',
      '2',
      '1',
      '0',
      '3',
    ]);
    expect(
      page().querySelector('[data-testid="queue-review"]')!.getAttribute('aria-selected'),
    ).toBe('true');
  });

  it('reads the whole view from the URL, so a shared link opens the same page', async () => {
    const sent = await start(
      'coder',
      `/worklist?queue=unassigned&q=smi&status=draft,submitted&from=2026-01-01&to=2026-01-31&coder=none&hasErrors=true&sort=patient&dir=desc&page=3&pageSize=25`,
    );
    expect(sent).toEqual({
      queue: 'unassigned',
      q: 'smi',
      status: 'draft,submitted',
      from: '2026-01-01',
      to: '2026-01-31',
      coder: 'none',
      hasErrors: 'true',
      sort: 'patient',
      dir: 'desc',
      page: '3',
      pageSize: '25',
    });
    expect(
      (page().querySelector('[data-testid="worklist-search"]') as HTMLInputElement).value,
    ).toBe('smi');
    expect(
      page().querySelector('[data-testid="filter-errors"] button')!.getAttribute('aria-checked'),
    ).toBe('true');
  });

  it('puts a search into the URL after a pause in typing, back on page one', async () => {
    await start('coder', '/worklist?queue=all&page=2');
    const box = page().querySelector('[data-testid="worklist-search"]') as HTMLInputElement;
    for (const text of ['o', 'ok', 'oka']) {
      box.value = text;
      box.dispatchEvent(new Event('input'));
      await settle(SEARCH_DEBOUNCE_MS - 100);
    }
    expect(worklistRequests()).toHaveLength(0);
    await settle(SEARCH_DEBOUNCE_MS);
    expect(router().url).toBe('/worklist?queue=all&q=oka');
    const [request] = worklistRequests();
    expect(params(request!)).toEqual({ queue: 'all', q: 'oka' });
  });

  it('sorts by a column header and pages with the paginator, through the URL', async () => {
    await start('coder', '/worklist?queue=all');
    const header = page().querySelector('th.mat-column-patient .mat-sort-header-container');
    (header as HTMLElement).click();
    await settle();
    expect(router().url).toBe('/worklist?queue=all&sort=patient');
    worklistRequests()[0]!.flush(answer(rows, 120));
    await settle();
    (page().querySelector('.mat-mdc-paginator-navigation-next') as HTMLButtonElement).click();
    await settle();
    expect(router().url).toBe('/worklist?queue=all&sort=patient&page=2');
    expect(params(worklistRequests()[0]!)).toEqual({ queue: 'all', sort: 'patient', page: '2' });
  });

  it('patches a row shown in place when only its lines changed, without asking the server', async () => {
    await start('reviewer');
    const shown = rows[1]!;
    socket.push('worklist:rows', {
      rows: [toWorklistRow({ ...shown, lineCount: 4, version: shown.version + 1 })],
    });
    await settle();
    const lines = [...page().querySelectorAll('[data-testid="row-lines"]')].map((c) =>
      c.textContent.trim(),
    );
    expect(lines[1]).toBe('4');
    expect(page().querySelectorAll('[data-testid="worklist-row"]')[1]!.classList).toContain(
      'row--fresh',
    );
    await settle(REFRESH_MAX_WAIT_MS);
    expect(worklistRequests()).toHaveLength(0);
  });

  it('reads the page and counts again, once, when live changes may move rows in or out', async () => {
    await start('reviewer');
    const shown = rows[1]!;
    socket.push('worklist:rows', {
      rows: [toWorklistRow({ ...shown, status: 'approved', version: shown.version + 1 })],
    });
    socket.push('worklist:rows', { rows: [toWorklistRow(item('Elsewhere', 'draft', 59))] });
    await settle(REFRESH_DEBOUNCE_MS - 100);
    // The row shown changes at once; the page stays as it is until the read answers.
    expect(names()).toEqual(['Ada Draft', 'Cy Submitted', 'Di In review']);
    expect(worklistRequests()).toHaveLength(0);
    await settle(REFRESH_DEBOUNCE_MS);
    const [request, ...more] = worklistRequests();
    expect(more).toHaveLength(0);
    expect(params(request!)).toEqual({ queue: 'review' });
    expect(page().querySelector('mat-progress-bar')).toBeNull();
    request!.flush({
      ...answer([rows[0]!, rows[2]!]),
      queues: { ...emptyQueueCounts(), review: 1 },
    });
    await settle();
    expect(names()).toEqual(['Ada Draft', 'Di In review']);
    expect(count('review')).toBe('1');
  });

  it('goes back to the last page when charts left the view and this page is past its end', async () => {
    rows = [];
    await start('coder', '/worklist?queue=all&page=3');
    expect(router().url).toBe('/worklist?queue=all');
    worklistRequests()[0]!.flush(answer([item('Only One', 'draft', 1)]));
    await settle();
    expect(names()).toEqual(['Only One']);
  });

  it('reads the page again after a reconnect', async () => {
    await start('coder', '/worklist?queue=all');
    socket.dropConnection();
    socket.reconnect();
    await settle();
    expect(socket.sentOf('worklist:watch')).toHaveLength(2);
    expect(worklistRequests()).toHaveLength(1);
  });

  it('lets a supervisor select rows and assign them together', async () => {
    await start('supervisor', '/worklist?queue=all');
    dialog.open.mockReturnValue({ afterClosed: () => of({ results: [], failed: 0 }) });
    const boxes = page().querySelectorAll<HTMLInputElement>('[data-testid="select-row"] input');
    boxes[0]!.click();
    boxes[2]!.click();
    await settle();
    expect(page().querySelector('[data-testid="bulk-bar"]')!.textContent).toContain('2 selected');
    (page().querySelector('[data-testid="bulk-assign"]') as HTMLButtonElement).click();
    await settle();
    expect(dialog.open).toHaveBeenCalledWith(AssignDialog, {
      data: { encounterIds: [rows[0]!.id, rows[2]!.id] },
      width: '440px',
    });
    // Assigned: the selection is done and the page and counts are read again.
    expect(page().querySelector('[data-testid="bulk-bar"]')).toBeNull();
    expect(worklistRequests()).toHaveLength(1);
  });

  it('offers no selection to a coder', async () => {
    await start('coder', '/worklist?queue=all');
    expect(page().querySelector('[data-testid="select-row"]')).toBeNull();
  });

  it('says when nothing matches the filters and clears them', async () => {
    rows = [];
    await start('coder', '/worklist?queue=all&provider=park');
    expect(page().querySelector('[data-testid="worklist-empty"]')!.textContent).toContain(
      'No encounter matches these filters.',
    );
    (page().querySelector('[data-testid="clear-filters"]') as HTMLButtonElement).click();
    await settle();
    expect(router().url).toBe('/worklist?queue=all');
  });

  it('opens an encounter when its row is clicked', async () => {
    await start('coder');
    (page().querySelector('[data-testid="worklist-row"]') as HTMLElement).click();
    await settle();
    expect(router().url).toBe(`/encounters/${rows[0]!.id}`);
  });
});

describe('worklist view', () => {
  it('leaves defaults out of the URL and names the queue for the API', () => {
    const view = viewFromParams({}, 'coder');
    expect(view).toMatchObject({ queue: 'drafts', sort: 'updated', dir: 'desc', page: 1 });
    expect(paramsFromView(view, 'coder')).toEqual({});
    expect(paramsFromView(view, 'coder', true)).toEqual({ queue: 'drafts' });
  });

  it('drops a parameter the server would refuse instead of failing the page', () => {
    const view = viewFromParams(
      { sort: 'salary', page: '0', from: '2026-02-30', coder: 'bob', queue: 'review' },
      'coder',
    );
    expect(paramsFromView(view, 'coder')).toEqual({ queue: 'review' });
  });

  it('round-trips every field through the URL', () => {
    const params = {
      queue: 'unassigned',
      q: 'smi',
      status: 'draft,approved',
      from: '2026-01-01',
      to: '2026-02-01',
      provider: 'park',
      coder: 'none',
      reviewer: REVIEWER.id,
      hasErrors: 'true',
      sort: 'status',
      dir: 'desc',
      page: '4',
      pageSize: '100',
    };
    expect(paramsFromView(viewFromParams(params, 'reviewer'), 'reviewer')).toEqual(params);
  });

  it('picks a starting queue per role', () => {
    expect(
      ['coder', 'reviewer', 'supervisor', 'admin'].map((r) => defaultQueue(r as never)),
    ).toEqual(['drafts', 'review', 'signoff', 'all']);
  });

  it('moves a row only for a change the filters, queues or order read', () => {
    const view = viewFromParams({ sort: 'patient' }, 'coder');
    const shown = item('a', 'draft', 1);
    expect(mayMove(shown, { ...shown, lineCount: 3 }, view)).toBe(false);
    expect(mayMove(shown, { ...shown, updatedAt: at(2) }, view)).toBe(false);
    expect(mayMove(shown, { ...shown, status: 'submitted' }, view)).toBe(true);
    expect(mayMove(shown, { ...shown, coder: null }, view)).toBe(true);
    expect(mayMove(shown, { ...shown, updatedAt: at(2) }, viewFromParams({}, 'coder'))).toBe(true);
  });

  it('patches a newer version of a row shown and keeps its error count; an older one is ignored', () => {
    const shown = { ...item('a', 'submitted', 5), version: 4, errorCount: 2 };
    const newer = toWorklistRow({ ...shown, lineCount: 7, version: 5 });
    const late = toWorklistRow({ ...shown, status: 'draft', version: 3 });
    expect(patchRows([shown], [newer])).toEqual([{ ...shown, lineCount: 7, version: 5 }]);
    expect(patchRows([shown], [late])).toEqual([shown]);
  });
});
