import type {
  DatasetRef,
  EditRuleId,
  EditsInput,
  EditsLine,
  EditsReference,
  FeeScheduleRow,
} from './edits.schema.js';
import { evaluateEdits, referenceCodes } from './edits.js';
import type { DiagnosisLetter } from '../coding/formats.js';

const DOS = '2026-03-02';
const ref = (dataset: string, edition: string, file: string): DatasetRef => ({
  dataset,
  edition,
  file,
  effectiveDate: '2024-07-01',
});

function fee(code: string, overrides: Partial<FeeScheduleRow> = {}): FeeScheduleRow {
  return {
    code,
    modifier: '',
    status: 'A',
    workRvu: 1,
    nonFacilityPeRvu: 1,
    facilityPeRvu: 0.5,
    mpRvu: 0.1,
    pctc: '0',
    globalDays: 'XXX',
    bilateral: '0',
    multProc: '0',
    row: 100,
    ...overrides,
  };
}

/** Reference data in which every code used below is known and in effect, and nothing else fires. */
function reference(overrides: Partial<EditsReference> = {}): EditsReference {
  const known = (edition = '2026', billable = true) => [
    {
      edition,
      effectiveDate: '2025-01-01',
      terminationDate: null,
      billable,
      file: 'f.tsv',
      row: 2,
    },
  ];
  const codes: EditsReference['codes'] = {};
  for (const c of [
    '99213',
    '99214',
    '99215',
    '20610',
    '20611',
    '29881',
    '29877',
    '11402',
    '12032',
    '73562',
    '71046',
    '3074F',
    '22614',
    '22633',
    '99203',
    '36415',
  ])
    codes[`CPT:${c}`] = known();
  for (const c of ['J3301', 'G0439']) codes[`HCPCS:${c}`] = known();
  for (const c of ['M1711', 'E119', 'I10', 'S83231A']) codes[`ICD10CM:${c}`] = known();
  codes['ICD10CM:E11'] = known('2026', false);
  for (const m of ['25', '26', '50', '57', '59', '76', 'LT', 'RT', 'TC', 'XS', 'XU'])
    codes[`MODIFIER:${m}`] = known();
  return {
    dateOfService: DOS,
    systemsLoaded: ['CPT', 'HCPCS', 'ICD10CM', 'MODIFIER'],
    codes,
    catalog: { ICD10CM: ref('ICD-10-CM code set', '2026', 'icd10cm-2026.tsv.gz') },
    ptp: [],
    ptpSource: ref('NCCI PTP practitioner', '2024Q3', 'ncci-ptp-practitioner-2024q3.tsv.gz'),
    mue: {},
    mueSource: ref('NCCI MUE practitioner', '2024Q3', 'mue-practitioner-2024q3.tsv'),
    addOnEdits: [],
    addOnSource: ref('NCCI add-on code edits', '2024Q3', 'ncci-aoc-2024q3.tsv'),
    addOnCodes: [],
    addOnListSource: null,
    fees: [],
    feeSource: ref('MPFS RVU', '2025', 'mpfs-rvu-2025.tsv'),
    conversionFactor: null,
    clfs: {},
    clfsSource: null,
    listedIn: {},
    coverage: [],
    ...overrides,
  };
}

let nextId = 0;
function line(
  code: string,
  modifiers: string[] = [],
  units = 1,
  pointers: DiagnosisLetter[] = ['A'],
): EditsLine {
  nextId += 1;
  return { id: `l${nextId}`, code, modifiers, units, pointers };
}

function encounter(lines: EditsLine[], diagnoses = ['M1711', 'E119']): EditsInput {
  return { dateOfService: DOS, placeOfService: '11', diagnoses, lines };
}

function rules(input: EditsInput, data = reference()): EditRuleId[] {
  return evaluateEdits(input, data).map((f) => f.ruleId);
}

describe(evaluateEdits.name, () => {
  it('finds nothing on a clean encounter', () => {
    expect(evaluateEdits(encounter([line('99213'), line('20610', ['RT'])]), reference())).toEqual(
      [],
    );
  });

  describe('code valid on the date of service', () => {
    it('warns (not errs) on a well-formed CPT number that no loaded CMS file lists and no licensed CPT file is loaded', () => {
      const findings = evaluateEdits(encounter([line('99499')]), reference());
      expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['code-unlisted', 'warning']]);
      expect(findings[0]!.message).toContain('no licensed CPT file is loaded');
    });

    it('errs on a CPT number neither the CMS files nor a loaded licensed CPT file list', () => {
      const licensed = reference({ catalog: { CPT: ref('CPT code set', '2026', 'cpt-2026.txt') } });
      expect(
        evaluateEdits(encounter([line('99499')]), licensed).map((f) => [f.ruleId, f.severity]),
      ).toEqual([['code-unknown', 'error']]);
    });

    it('knows a CPT number any loaded public file lists (RVU, PTP, MUE, add-on), with no catalogue row', () => {
      for (const file of [
        'MPFS RVU 2025',
        'NCCI PTP practitioner 2024Q3',
        'NCCI MUE practitioner 2024Q3',
        'NCCI add-on code edits 2024Q3',
      ]) {
        expect(
          rules(encounter([line('17000')]), reference({ listedIn: { '17000': [file] } })),
        ).toEqual([]);
      }
    });

    it('judges Category III, PLA and Category II numbers the same way, naming their kind', () => {
      expect(
        rules(
          encounter([line('0042T'), line('99213')]),
          reference({ listedIn: { '0042T': ['NCCI MUE practitioner 2024Q3'] } }),
        ),
      ).toEqual([]);
      const unlisted = evaluateEdits(encounter([line('0001U'), line('0999T')]), reference());
      expect(unlisted.map((f) => [f.ruleId, f.codes[0]])).toEqual([
        ['code-unlisted', '0001U'],
        ['code-unlisted', '0999T'],
      ]);
      expect(unlisted[0]!.message).toContain('CPT PLA code');
      expect(unlisted[1]!.message).toContain('CPT Category III code');
    });

    it('still errs on an HCPCS Level II code its own code set does not list', () => {
      expect(
        evaluateEdits(encounter([line('J9999')]), reference()).map((f) => [f.ruleId, f.severity]),
      ).toEqual([['code-unknown', 'error']]);
    });

    it('says nothing about a code of a system nobody loaded', () => {
      expect(
        rules(encounter([line('J9999')]), reference({ systemsLoaded: ['ICD10CM', 'MODIFIER'] })),
      ).toEqual([]);
      const nothing = {
        systemsLoaded: ['ICD10CM' as const, 'MODIFIER' as const],
        feeSource: null,
        ptpSource: null,
        mueSource: null,
        addOnSource: null,
      };
      expect(rules(encounter([line('99499')]), reference(nothing))).toEqual([]);
    });

    it('flags a code that ended before the date of service, citing the end date and the row', () => {
      const data = reference();
      data.codes['HCPCS:J1030'] = [
        {
          edition: '2026',
          effectiveDate: '2005-01-01',
          terminationDate: '2024-03-31',
          billable: true,
          file: 'hcpcs-2026.tsv',
          row: 812,
        },
      ];
      const [finding] = evaluateEdits(encounter([line('J1030')]), data);
      expect(finding).toMatchObject({
        ruleId: 'code-not-in-effect',
        source: { file: 'hcpcs-2026.tsv', row: 812, edition: '2026' },
      });
      expect(finding!.message).toContain('ended on 2024-03-31');
    });

    it('flags a code that takes effect after the date of service', () => {
      const data = reference();
      data.codes['CPT:99213'] = [
        {
          edition: '2027',
          effectiveDate: '2027-01-01',
          terminationDate: null,
          billable: true,
          file: null,
          row: null,
        },
      ];
      expect(rules(encounter([line('99213')]), data)).toEqual(['code-not-in-effect']);
    });

    it('accepts a code on its termination date', () => {
      const data = reference();
      data.codes['CPT:99213'] = [
        {
          edition: '2026',
          effectiveDate: '2020-01-01',
          terminationDate: DOS,
          billable: true,
          file: null,
          row: null,
        },
      ];
      expect(rules(encounter([line('99213')]), data)).toEqual([]);
    });
  });

  describe('diagnoses', () => {
    it('flags a header ICD-10-CM code as not billable, naming the lines that point at it', () => {
      const pointing = line('99213', [], 1, ['B']);
      const findings = evaluateEdits(
        encounter([line('20610'), pointing], ['M1711', 'E11']),
        reference(),
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        ruleId: 'diagnosis-not-billable',
        lineIds: [pointing.id],
        codes: ['E11'],
      });
      expect(findings[0]!.message).toContain('E11');
    });

    it('flags an unknown diagnosis and shows it with its dot', () => {
      const [finding] = evaluateEdits(encounter([line('99213')], ['M1711', 'E1199']), reference());
      expect(finding).toMatchObject({ ruleId: 'code-unknown', codes: ['E1199'] });
      expect(finding!.message).toContain('E11.99');
    });
  });

  describe('modifiers in the code set', () => {
    it('flags a modifier that is not in the list', () => {
      expect(rules(encounter([line('20610', ['QQ'])]))).toEqual(['modifier-unknown']);
    });
  });

  describe('add-on codes', () => {
    const type1 = reference({
      addOnEdits: [
        { addOn: '22633', primary: '22614', type: 1, row: 40 },
        { addOn: '22633', primary: '22612', type: 1, row: 41 },
      ],
    });

    it('flags a type 1 add-on without any of its primaries, citing the add-on file', () => {
      const findings = evaluateEdits(encounter([line('99213'), line('22633')]), type1);
      expect(findings.map((f) => f.ruleId)).toEqual(['addon-without-primary']);
      expect(findings[0]!.source).toMatchObject({
        file: 'ncci-aoc-2024q3.tsv',
        edition: '2024Q3',
        row: 40,
      });
      expect(findings[0]!.message).toContain('22614');
    });

    it('accepts a type 1 add-on with a listed primary', () => {
      expect(rules(encounter([line('22614'), line('22633')]), type1)).toEqual([]);
    });

    it('flags a type 2 add-on alone and accepts it with any primary procedure', () => {
      const type2 = reference({
        addOnEdits: [{ addOn: '11402', primary: 'CCCCC', type: 2, row: 7 }],
      });
      expect(rules(encounter([line('11402')]), type2)).toEqual(['addon-without-primary']);
      expect(rules(encounter([line('12032'), line('11402')]), type2)).toEqual([]);
    });

    it('warns on a type 3 add-on whose primary is not on the CMS list', () => {
      const type3 = reference({
        addOnEdits: [{ addOn: '11402', primary: '12032', type: 3, row: 8 }],
      });
      expect(rules(encounter([line('12032'), line('11402')]), type3)).toEqual([]);
      expect(
        evaluateEdits(encounter([line('29881'), line('11402')]), type3).map((f) => [
          f.ruleId,
          f.severity,
        ]),
      ).toEqual([['addon-primary-unlisted', 'warning']]);
      expect(rules(encounter([line('11402')]), type3)).toEqual(['addon-without-primary']);
    });

    it('treats a code on the add-on list as never alone even without an AOC row', () => {
      expect(rules(encounter([line('11402')]), reference({ addOnCodes: ['11402'] }))).toEqual([
        'addon-without-primary',
      ]);
    });
  });

  describe('NCCI PTP', () => {
    const pair = (
      modifierIndicator: 0 | 1 | 9,
      extra: Partial<EditsReference['ptp'][number]> = {},
    ) =>
      reference({
        ptp: [
          {
            column1: '20610',
            column2: '99213',
            modifierIndicator,
            rationale: 'Misuse of column two code with column one code',
            effectiveDate: null,
            deletionDate: null,
            row: 12345,
            ...extra,
          },
        ],
      });

    it('indicator 0: an error whatever the modifier, with the source row', () => {
      const findings = evaluateEdits(encounter([line('20610'), line('99213', ['59'])]), pair(0));
      const ptp = findings.filter((f) => f.ruleId.startsWith('ptp'));
      expect(ptp).toHaveLength(1);
      expect(ptp[0]).toMatchObject({
        ruleId: 'ptp-not-allowed',
        severity: 'error',
        codes: ['20610', '99213'],
      });
      expect(ptp[0]!.source).toMatchObject({
        row: 12345,
        edition: '2024Q3',
        text: 'NCCI PTP practitioner 2024Q3: 20610 / 99213, modifier indicator 0',
      });
    });

    it('indicator 1 without a modifier: an error naming both lines', () => {
      const lines = [line('20610'), line('99213')];
      const [finding] = evaluateEdits(encounter(lines), pair(1));
      expect(finding).toMatchObject({
        ruleId: 'ptp-modifier-required',
        lineIds: [lines[0]!.id, lines[1]!.id],
      });
      expect(finding!.source.text).toBe(
        'NCCI PTP practitioner 2024Q3: 20610 / 99213, modifier indicator 1',
      );
    });

    it('indicator 1 with an E/M column 2: 25 or 57 bypass it, a warning to acknowledge', () => {
      for (const modifier of ['25', '57']) {
        const findings = evaluateEdits(
          encounter([line('20610'), line('99213', [modifier])]),
          pair(1),
        ).filter((f) => f.ruleId.startsWith('ptp'));
        expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
          ['ptp-modifier-bypass', 'warning'],
        ]);
      }
    });

    it('indicator 1 with an E/M column 2: the advice names 25 and 57, never 59 or X; 59, X and anatomic modifiers do not bypass', () => {
      const [plain] = evaluateEdits(encounter([line('20610'), line('99213')]), pair(1));
      expect(plain!.message).toContain('25 on 99213');
      expect(plain!.message).toContain('57');
      expect(plain!.message).not.toMatch(/59|XS|XU/);
      for (const modifier of ['XS', 'XU', 'LT']) {
        const findings = evaluateEdits(
          encounter([line('20610'), line('99213', [modifier])]),
          pair(1),
        ).filter((f) => f.ruleId.startsWith('ptp'));
        expect(findings.map((f) => f.ruleId)).toEqual(['ptp-modifier-required']);
        expect(findings[0]!.message).toContain(`${modifier} on 99213 does not bypass this edit`);
      }
    });

    describe('procedure column 2', () => {
      const procedures = () =>
        reference({
          ptp: [
            {
              column1: '29881',
              column2: '20610',
              modifierIndicator: 1,
              rationale: 'Standards of medical/surgical practice',
              effectiveDate: null,
              deletionDate: null,
              row: 7,
            },
          ],
        });
      const ptp = (lines: EditsLine[]) =>
        evaluateEdits(encounter(lines), procedures()).filter((f) => f.ruleId.startsWith('ptp'));

      it('advises 59, X or anatomic modifiers naming different sites', () => {
        const [finding] = ptp([line('29881'), line('20610')]);
        expect(finding!.ruleId).toBe('ptp-modifier-required');
        expect(finding!.message).toContain('59 or an X modifier');
        expect(finding!.message).toContain('different site on each line');
      });

      it('59 or an X modifier on the column 2 line bypasses it', () => {
        for (const modifier of ['59', 'XS'])
          expect(ptp([line('29881'), line('20610', [modifier])]).map((f) => f.ruleId)).toEqual([
            'ptp-modifier-bypass',
          ]);
      });

      it('anatomic modifiers bypass it only when the two lines name different sites', () => {
        expect(ptp([line('29881', ['RT']), line('20610', ['LT'])]).map((f) => f.ruleId)).toEqual([
          'ptp-modifier-bypass',
        ]);
        expect(ptp([line('29881', ['F1']), line('20610', ['F2'])]).map((f) => f.ruleId)).toEqual([
          'ptp-modifier-bypass',
        ]);
        const same = ptp([line('29881', ['RT']), line('20610', ['RT'])]);
        expect(same.map((f) => f.ruleId)).toEqual(['ptp-modifier-required']);
        expect(same[0]!.message).toContain('RT on 20610 does not bypass this edit');
        expect(ptp([line('29881'), line('20610', ['LT'])]).map((f) => f.ruleId)).toEqual([
          'ptp-modifier-required',
        ]);
        expect(ptp([line('29881', ['E1']), line('20610', ['E1'])]).map((f) => f.ruleId)).toEqual([
          'ptp-modifier-required',
        ]);
      });

      it('25 on a procedure column 2 is no bypass', () => {
        expect(ptp([line('29881'), line('20610', ['25'])]).map((f) => f.ruleId)).toEqual([
          'ptp-modifier-required',
        ]);
      });
    });

    it('indicator 1 with the modifier on the column 1 code only: still an error', () => {
      expect(rules(encounter([line('20610', ['59']), line('99213')]), pair(1))).toEqual([
        'ptp-modifier-required',
      ]);
    });

    it('indicator 9 and edits deleted before or effective after the date of service do not fire', () => {
      expect(rules(encounter([line('20610'), line('99213')]), pair(9))).toEqual([]);
      expect(
        rules(encounter([line('20610'), line('99213')]), pair(0, { deletionDate: '2025-12-31' })),
      ).toEqual([]);
      expect(
        rules(encounter([line('20610'), line('99213')]), pair(0, { effectiveDate: '2026-04-01' })),
      ).toEqual([]);
    });

    it('does not fire when only one of the codes is on the encounter', () => {
      expect(rules(encounter([line('20610')]), pair(0))).toEqual([]);
    });
  });

  describe('MUE', () => {
    const mue = (mai: 1 | 2 | 3, value = 1) =>
      reference({ mue: { '20610': { value, mai, rationale: 'Anatomic Consideration', row: 55 } } });

    it('indicator 1 limits each line', () => {
      expect(
        rules(encounter([line('20610', ['RT'], 1), line('20610', ['LT'], 1)]), mue(1)),
      ).toEqual([]);
      const findings = evaluateEdits(encounter([line('20610', [], 2)]), mue(1));
      expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['mue-exceeded', 'error']]);
      expect(findings[0]!.source).toMatchObject({
        row: 55,
        text: 'NCCI MUE practitioner 2024Q3: 20610, MUE 1, adjudication indicator 1 (per line)',
      });
    });

    it('indicator 2 limits the date: an error', () => {
      expect(rules(encounter([line('20610', ['RT'], 1)]), mue(2))).toEqual([]);
      expect(
        rules(encounter([line('20610', ['RT'], 1), line('20610', ['LT'], 1)]), mue(2)),
      ).toEqual(['mue-exceeded']);
    });

    it('indicator 3 limits the date clinically: a warning', () => {
      expect(
        evaluateEdits(encounter([line('20610', ['RT'], 1), line('20610', ['LT'], 1)]), mue(3)).map(
          (f) => [f.ruleId, f.severity],
        ),
      ).toEqual([['mue-exceeded-clinical', 'warning']]);
      expect(rules(encounter([line('20610', [], 2)]), mue(3, 2))).toEqual([]);
    });
  });

  describe('modifier rules', () => {
    it('59 with an X modifier', () => {
      expect(rules(encounter([line('20610', ['59', 'XS'])]))).toEqual(['modifier-59-with-x']);
      expect(rules(encounter([line('20610', ['XS'])]))).toEqual([]);
    });

    it('59 on E/M', () => {
      expect(rules(encounter([line('99213', ['59'])]))).toEqual(['modifier-59-on-em']);
      expect(rules(encounter([line('20610', ['59'])]))).toEqual([]);
    });

    it('25 only on E/M', () => {
      expect(rules(encounter([line('20610', ['25'])]))).toEqual(['modifier-25-not-em']);
      expect(rules(encounter([line('99213', ['25']), line('20610')]))).toEqual([]);
    });

    it('25 on an E/M with no other service that day: a warning', () => {
      const findings = evaluateEdits(encounter([line('99213', ['25'])]), reference());
      expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
        ['modifier-25-without-procedure', 'warning'],
      ]);
      expect(rules(encounter([line('99213', ['25']), line('3074F')]))).toEqual([
        'modifier-25-without-procedure',
      ]);
      expect(rules(encounter([line('99213', ['25']), line('J3301')]))).toEqual([]);
    });

    it('26 and TC where the PC/TC indicator allows', () => {
      const data = reference({
        fees: [
          fee('71046', { pctc: '1' }),
          fee('99213', { pctc: '0' }),
          fee('36415', { pctc: '3' }),
        ],
      });
      expect(
        rules(encounter([line('71046', ['26']), line('71046', ['TC'], 1, ['B'])]), data),
      ).toEqual([]);
      expect(rules(encounter([line('99213', ['26'])]), data)).toEqual([
        'modifier-pctc-not-allowed',
      ]);
      expect(rules(encounter([line('36415', ['TC'])]), data)).toEqual([
        'modifier-pctc-not-allowed',
      ]);
      const [finding] = evaluateEdits(encounter([line('71046', ['26', 'TC'])]), data);
      expect(finding).toMatchObject({
        ruleId: 'modifier-pctc-not-allowed',
        source: { text: 'MPFS RVU 2025: 71046 PC/TC indicator 1' },
      });
    });

    it('50 where the bilateral indicator allows, and never with LT or RT', () => {
      const data = reference({
        fees: [fee('20610', { bilateral: '1' }), fee('73562', { bilateral: '2' })],
      });
      expect(rules(encounter([line('20610', ['50'])]), data)).toEqual([]);
      expect(rules(encounter([line('73562', ['50'])]), data)).toEqual(['modifier-50-not-allowed']);
      expect(rules(encounter([line('20610', ['50', 'RT'])]), data)).toEqual([
        'modifier-50-with-side',
      ]);
    });

    it('57 only with a 90-day global procedure on the encounter', () => {
      const data = reference({
        fees: [fee('29881', { globalDays: '090' }), fee('20610', { globalDays: '000' })],
      });
      expect(rules(encounter([line('99213', ['57']), line('29881', ['RT'])]), data)).toEqual([]);
      expect(rules(encounter([line('99213', ['57']), line('20610', ['RT'])]), data)).toEqual([
        'modifier-57-not-major',
      ]);
    });

    it('an E/M on the day of a 90-day-global surgery without 57 is caught; not with 57, nor beside a minor procedure', () => {
      const data = reference({
        fees: [fee('29881', { globalDays: '090', row: 321 }), fee('20610', { globalDays: '000' })],
      });
      const findings = evaluateEdits(encounter([line('99213'), line('29881', ['RT'])]), data);
      expect(findings.map((f) => [f.ruleId, f.severity, f.codes])).toEqual([
        ['em-in-major-global', 'error', ['99213', '29881']],
      ]);
      expect(findings[0]!.source).toMatchObject({
        row: 321,
        text: 'MPFS RVU 2025: 29881 global days 090',
      });
      expect(rules(encounter([line('99213', ['25']), line('29881', ['RT'])]), data)).toEqual([
        'em-in-major-global',
      ]);
      expect(rules(encounter([line('99213', ['57']), line('29881', ['RT'])]), data)).toEqual([]);
      expect(rules(encounter([line('99213', ['25']), line('20610', ['RT'])]), data)).toEqual([]);
    });
  });

  describe('MUE 0', () => {
    const data = reference({
      mue: {
        '99397': {
          value: 0,
          mai: 2,
          rationale: 'Nonpayable service on a practitioner claim',
          row: 88,
        },
      },
    });

    it('is an error that says the code is not payable on a practitioner claim, whatever the units', () => {
      const findings = evaluateEdits(encounter([line('99397')]), data).filter((f) =>
        f.ruleId.startsWith('mue'),
      );
      expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['mue-not-payable', 'error']]);
      expect(findings[0]!.message).toContain('not pay it on a practitioner claim');
      expect(findings[0]!.message).not.toContain('clinically unlikely');
    });

    it('does not fire for a code whose MUE is above 0', () => {
      const one = reference({
        mue: { '99397': { value: 1, mai: 2, rationale: 'Policy', row: 88 } },
      });
      expect(
        evaluateEdits(encounter([line('99397')]), one).filter((f) => f.ruleId.startsWith('mue')),
      ).toEqual([]);
    });
  });

  describe('edition coverage', () => {
    const icd = {
      key: 'ICD10CM',
      dataset: 'ICD-10-CM code set',
      status: 'not-covered' as const,
      applied: null,
      loaded: [{ edition: '2026', effectiveDate: '2025-10-01' }],
      serviceQuarter: '2025Q1',
    };
    const later = [
      {
        edition: '2026',
        effectiveDate: '2025-10-01',
        terminationDate: null,
        billable: true,
        file: 'icd10cm-2026.tsv.gz',
        row: 9,
      },
    ];

    it('one chart-level finding when no loaded ICD-10-CM edition covers the date, not one per diagnosis', () => {
      const data = reference({
        coverage: [icd],
        codes: { ...reference().codes, 'ICD10CM:L97412': later, 'ICD10CM:E119': later },
      });
      const findings = evaluateEdits(
        { ...encounter([line('99213')], ['L97412', 'E119']), dateOfService: '2025-03-10' },
        data,
      );
      expect(findings.map((f) => [f.ruleId, f.lineIds, f.codes])).toEqual([
        ['edition-not-covering', [], ['ICD10CM']],
      ]);
      expect(findings[0]!.message).toBe(
        'No loaded ICD-10-CM code set edition covers the date of service 2025-03-10: loaded 2026 (from 2025-10-01); its codes are not checked against any edition.',
      );
    });

    it('without the coverage note the same codes are "not in effect" each (the catalogue rule still runs)', () => {
      const data = reference({ codes: { ...reference().codes, 'ICD10CM:L97412': later } });
      expect(
        rules({ ...encounter([line('99213')], ['L97412']), dateOfService: '2025-03-10' }, data),
      ).toEqual(['code-not-in-effect']);
    });

    it('still flags a header diagnosis when its system is not covered', () => {
      const header = [{ ...later[0]!, billable: false }];
      const data = reference({
        coverage: [icd],
        codes: { ...reference().codes, 'ICD10CM:E11': header },
      });
      expect(rules(encounter([line('99213')], ['E11']), data)).toEqual([
        'diagnosis-not-billable',
        'edition-not-covering',
      ]);
    });

    it('a stale NCCI edition is one chart-level warning naming the quarter applied', () => {
      const stale = {
        key: 'PTP',
        dataset: 'NCCI PTP practitioner',
        status: 'stale' as const,
        applied: ref('NCCI PTP practitioner', '2024Q3', 'p.tsv'),
        loaded: [{ edition: '2024Q3', effectiveDate: '2024-07-01' }],
        serviceQuarter: '2026Q1',
      };
      const findings = evaluateEdits(encounter([line('99213')]), reference({ coverage: [stale] }));
      expect(findings.map((f) => [f.ruleId, f.severity, f.lineIds])).toEqual([
        ['ncci-edition-stale', 'warning', []],
      ]);
      expect(findings[0]!.message).toContain('2024Q3');
      expect(findings[0]!.message).toContain('2026Q1');
    });

    it('an NCCI data set no edition covers says its edits are not applied', () => {
      const none = {
        key: 'MUE',
        dataset: 'NCCI MUE practitioner',
        status: 'not-covered' as const,
        applied: null,
        loaded: [{ edition: '2024Q3', effectiveDate: '2024-07-01' }],
        serviceQuarter: '2024Q1',
      };
      const [finding] = evaluateEdits(encounter([line('99213')]), reference({ coverage: [none] }));
      expect(finding!.message).toContain('its edits are not applied to this chart');
    });

    it('chart-level findings come first within their severity', () => {
      const stale = {
        key: 'PTP',
        dataset: 'NCCI PTP practitioner',
        status: 'stale' as const,
        applied: ref('NCCI PTP practitioner', '2024Q3', 'p.tsv'),
        loaded: [],
        serviceQuarter: '2026Q1',
      };
      const findings = evaluateEdits(
        encounter([line('99213'), line('99214')]),
        reference({ coverage: [stale] }),
      );
      expect(findings.map((f) => f.ruleId)).toEqual([
        'ncci-edition-stale',
        'office-visit-repeated',
      ]);
    });
  });

  describe('pointers', () => {
    it('every line has a pointer', () => {
      expect(rules(encounter([line('99213', [], 1, [])]))).toEqual(['line-without-pointer']);
    });

    it('every pointer points at a diagnosis', () => {
      const findings = evaluateEdits(encounter([line('99213', [], 1, ['A', 'C'])]), reference());
      expect(findings.map((f) => f.ruleId)).toEqual(['pointer-without-diagnosis']);
      expect(findings[0]!.codes).toEqual(['99213', 'C']);
      expect(findings[0]!.message).toContain('A to B');
    });
  });

  describe('lines', () => {
    it('flags an exact duplicate line (modifiers in any order) but not a repeat with 76', () => {
      expect(rules(encounter([line('20610', ['RT', '59']), line('20610', ['59', 'RT'])]))).toEqual([
        'duplicate-line',
      ]);
      expect(rules(encounter([line('20610', ['RT']), line('20610', ['RT', '76'])]))).toEqual([]);
    });

    it('warns on two office visits on one date', () => {
      expect(
        evaluateEdits(encounter([line('99213'), line('99214')]), reference()).map((f) => [
          f.ruleId,
          f.severity,
        ]),
      ).toEqual([['office-visit-repeated', 'warning']]);
    });

    it('a Category II line needs a Category I line', () => {
      expect(rules(encounter([line('3074F')]))).toEqual(['category-ii-alone']);
      expect(rules(encounter([line('3074F'), line('J3301')]))).toEqual(['category-ii-alone']);
      expect(rules(encounter([line('3074F'), line('99213')]))).toEqual([]);
    });
  });

  it('lists errors before warnings and gives every finding a stable id and a source text', () => {
    const input = encounter([line('99213'), line('99214'), line('20610', ['59', 'XS'])]);
    const first = evaluateEdits(input, reference());
    expect(first.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(evaluateEdits(input, reference()).map((f) => f.id)).toEqual(first.map((f) => f.id));
    for (const finding of first) expect(finding.source.text.length).toBeGreaterThan(10);
  });
});

describe(referenceCodes.name, () => {
  it('lists procedures, modifiers and diagnoses once each', () => {
    expect(
      referenceCodes(encounter([line('99213', ['25']), line('20610', ['RT', '25'])], ['M1711'])),
    ).toEqual(['99213', '25', '20610', 'RT', 'M1711']);
  });
});
