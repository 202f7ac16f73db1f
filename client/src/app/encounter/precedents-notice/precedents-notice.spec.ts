import type { Encounter } from '@countersign/shared';
import {
  ENCOUNTER_ID,
  lineUpdated,
  makeEncounter,
  makeLine,
  makeSuggestion,
} from '../../../testing/encounter-fixtures';
import { makePrecedent } from '../../../testing/precedent-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { PRECEDENT_REFRESH_MS, PrecedentsNotice, billedCodesKey } from './precedents-notice';

// No real time passes (fake clock), but building the room the first time takes seconds of CPU
// on a busy two-core machine: more than Jest's default 5 s.
jest.setTimeout(20_000);

const FOR_CHART = `/api/precedents/for-chart/${ENCOUNTER_ID}`;

describe(PrecedentsNotice.name, () => {
  let room: RoomHarness;
  let encounter: Encounter;
  const visit = makeLine({ code: '99213', modifiers: ['25'] });
  const injection = makeLine({ code: '20610', modifiers: ['RT'] });

  const asked = () => room.http.match((r) => r.url === FOR_CHART);

  beforeEach(async () => {
    jest.useFakeTimers();
    encounter = makeEncounter({ status: 'in_review', version: 7, lines: [visit, injection] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the precedents that apply to the chart’s codes, linked to their pages', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await room.settle();
    const [request, ...more] = asked();
    expect(more).toEqual([]);
    request!.flush([makePrecedent()]);
    await room.settle();
    const notice = room.one('precedents-notice');
    expect(room.text(notice)).toContain(
      'Precedent 12 applies to 99213 with 20610: modifier 25 stands when the visit is separately documented',
    );
    expect(notice.querySelector('a')?.getAttribute('href')).toBe('/precedents/12');
  });

  it('shows nothing when no precedent applies', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await room.settle();
    asked()[0]!.flush([]);
    await room.settle();
    expect(room.one('precedents-notice')).toBeNull();
  });

  it('asks again once the billed codes change and settle, not for every change', async () => {
    room = await RoomHarness.open(encounter, 'coder');
    await room.settle();
    asked()[0]!.flush([makePrecedent()]);
    await room.settle();

    // Units are not codes: nothing to ask.
    room.socket.push('encounter:event', lineUpdated(8, { ...injection, units: 2 }));
    await room.advance(PRECEDENT_REFRESH_MS);
    expect(asked()).toEqual([]);

    // Two code changes in a burst: one question, after the pause.
    room.socket.push('encounter:event', lineUpdated(9, { ...injection, code: '20611' }));
    await room.advance(PRECEDENT_REFRESH_MS - 100);
    room.socket.push('encounter:event', lineUpdated(10, { ...injection, code: '20605' }));
    await room.advance(PRECEDENT_REFRESH_MS - 100);
    expect(asked()).toEqual([]);
    await room.advance(100);
    const [request, ...more] = asked();
    expect(more).toEqual([]);
    request!.flush([]);
    await room.settle();
    expect(room.one('precedents-notice')).toBeNull();
  });

  it('keys on billed codes only: a rejected line does not count', () => {
    const rejected = {
      ...injection,
      review: { state: 'rejected' as const, category: null, comment: null, by: null },
    };
    expect(billedCodesKey([injection, visit, visit])).toBe('20610 99213');
    expect(billedCodesKey([visit, rejected])).toBe('99213');
  });

  it('links a suggestion that cites a precedent to its page', async () => {
    const cited = makeSuggestion(visit, {
      citedPrecedent: { number: 12, question: 'Does modifier 25 stand?' },
    });
    room = await RoomHarness.open({ ...encounter, suggestions: [cited] }, 'coder');
    await room.settle();
    const link = room.one<HTMLAnchorElement>('suggestion-cites-precedent', room.detail(visit.id));
    expect(room.text(link)).toBe('See precedent 12');
    expect(link.getAttribute('href')).toBe('/precedents/12');
  });

  it('lets the reviewer cite a precedent with a suggestion, found by number, code or words', async () => {
    room = await RoomHarness.open(encounter, 'reviewer');
    await room.settle();
    asked()[0]!.flush([]);
    room.ignoreLookups();
    room.one<HTMLButtonElement>('suggest-line', room.row(injection.id)).click();
    await room.settle();
    const form = room.one('suggest-form');
    room.type(room.one('suggest-modifiers', form), 'LT');
    const cite = room.one<HTMLInputElement>('suggest-precedent', form);
    cite.focus();
    room.type(cite, '20610');
    await room.advance(200);
    const [search] = room.http.match((r) => r.url === '/api/precedents');
    expect(search!.request.params.get('q')).toBe('20610');
    expect(search!.request.params.get('status')).toBe('active');
    search!.flush({ items: [makePrecedent()], total: 1, page: 1, pageSize: 8 });
    await room.settle();
    const option = document.querySelector<HTMLElement>('[data-testid="precedent-option"]');
    expect(option?.textContent).toContain('#12');
    option!.click();
    await room.settle();
    expect(room.one<HTMLInputElement>('suggest-precedent', form).value).toBe('12');

    room.socket.answer('review:suggest', () => ({ ok: true, data: { seq: 8, duplicate: false } }));
    room.one<HTMLButtonElement>('send-suggest', form).click();
    await room.settle();
    expect(room.socket.sentOf('review:suggest')[0]).toMatchObject({
      lineId: injection.id,
      patch: { modifiers: ['LT'] },
      precedentNumber: 12,
    });
  });

  it('will not send a citation that is not a precedent number', async () => {
    room = await RoomHarness.open(encounter, 'reviewer');
    await room.settle();
    room.one<HTMLButtonElement>('suggest-line', room.row(injection.id)).click();
    await room.settle();
    const form = room.one('suggest-form');
    room.type(room.one('suggest-modifiers', form), 'LT');
    room.type(room.one('suggest-precedent', form), 'modifier 25');
    room.one<HTMLButtonElement>('send-suggest', form).click();
    await room.settle();
    expect(room.socket.sentOf('review:suggest')).toEqual([]);
    expect(room.text(room.one('review-form-error'))).toBe(
      'Pick a precedent from the list, or type its number.',
    );
  });
});
