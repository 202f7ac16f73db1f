import type { Encounter, EncounterEvent } from '@countersign/shared';
import {
  CODER,
  ENCOUNTER_ID,
  REVIEWER,
  encounterCreated,
  event,
  lineAccepted,
  lineAdded,
  makeEncounter,
  makeLine,
  makeSuggestion,
  statusChanged,
  suggestionMade,
} from '../../../testing/encounter-fixtures';
import { RoomHarness } from '../../../testing/room-harness';
import { HistoryPanel } from './history-panel';

describe(HistoryPanel.name, () => {
  const visit = makeLine({ code: '99214', pointers: ['A'] });
  const xray = makeLine({ code: '73562', pointers: ['A'] });
  const suggestion = makeSuggestion(visit);
  let log: EncounterEvent[];
  let live: Encounter;
  let room: RoomHarness;

  beforeEach(async () => {
    const created = makeEncounter({ lines: [], status: 'draft', reviewer: null, version: 1 });
    log = [
      encounterCreated(created),
      lineAdded(2, visit, 0),
      lineAdded(3, xray, 1),
      statusChanged(4, 'draft', 'submitted', CODER),
      statusChanged(5, 'submitted', 'in_review', REVIEWER),
      lineAccepted(6, xray.id),
      suggestionMade(7, suggestion),
    ];
    live = makeEncounter({
      version: 7,
      status: 'in_review',
      lines: [
        visit,
        { ...xray, review: { state: 'accepted', category: null, comment: null, by: REVIEWER } },
      ],
      suggestions: [suggestion],
    });
    room = await RoomHarness.open(live, 'supervisor');
    room.ignoreLookups();
    room.one<HTMLButtonElement>('open-history').click();
    await room.settle();
    room.http
      .expectOne(
        (r) => r.url === `/api/encounters/${ENCOUNTER_ID}/events` && r.params.get('after') === '0',
      )
      .flush({ items: log });
    await room.settle();
  });

  const entries = () => room.all('timeline-entry').map((e) => room.text(e.querySelector('.what')));

  it('lists every event in order: who and what, in plain words', () => {
    expect(entries()).toEqual([
      'Casey Coder created the chart',
      'Casey Coder added line 99214',
      'Casey Coder added line 73562',
      'Casey Coder submitted the chart for review',
      'Riley Reviewer started the review',
      'Riley Reviewer accepted 73562',
      'Riley Reviewer suggested modifier 25 on 99214 (Missing modifier)',
    ]);
  });

  it('shows the chart as it stood at a past event, read-only, until back to live', async () => {
    room.all<HTMLButtonElement>('timeline-entry')[3]!.click();
    await room.settle();
    expect(room.text(room.one('history-banner'))).toContain(
      'Viewing history — the chart as it stood after #4: Casey Coder submitted the chart for review',
    );
    expect(room.text(room.one('encounter-status'))).toBe('Submitted');
    expect(room.all('claim-line').map((r) => r.dataset['review'])).toEqual(['pending', 'pending']);
    expect(room.all('suggestion')).toEqual([]);
    expect(room.root.querySelectorAll('[data-testid^="transition-"]')).toHaveLength(0);

    room.one<HTMLButtonElement>('back-to-live').click();
    await room.settle();
    expect(room.one('history-banner')).toBeNull();
    expect(room.text(room.one('encounter-status'))).toBe('In review');
    expect(room.all('suggestion')).toHaveLength(1);
  });

  it('reads the events that follow while it is open', async () => {
    room.socket.push(
      'encounter:event',
      event(
        8,
        'suggestion.answered',
        {
          suggestionId: suggestion.id,
          status: 'withdrawn',
          answeredBy: REVIEWER,
          line: null,
          thread: null,
        },
        REVIEWER,
      ),
    );
    await room.settle();
    const more = room.http.expectOne(
      (r) => r.url.endsWith('/events') && r.params.get('after') === '7',
    );
    more.flush({
      items: [
        event(
          8,
          'suggestion.answered',
          {
            suggestionId: suggestion.id,
            status: 'withdrawn',
            answeredBy: REVIEWER,
            line: null,
            thread: null,
          },
          REVIEWER,
        ),
      ],
    });
    await room.settle();
    expect(entries().at(-1)).toBe('Riley Reviewer withdrew the suggestion on 99214');
  });
});
