import type { CodeSystem } from '../catalog/catalog.schema.js';
import {
  EDIT_RULES,
  type CodeEditionFact,
  type DatasetRef,
  type EditRuleId,
  type EditsInput,
  type EditsLine,
  type EditsReference,
  type Finding,
  type FindingSource,
} from './edits.schema.js';
import { isEvaluationAndManagement, isOfficeVisit } from '../coding/code-sections.js';
import { feeRowsByCode } from './fees.js';
import {
  DIAGNOSIS_LETTERS,
  formatIcd10Cm,
  procedureCodeKind,
  type ProcedureCodeKind,
} from '../coding/formats.js';
import { ptpPairs } from './ptp.js';

/**
 * The coding edits (docs/domain.md section 3; "Rule 3.n" below is its section 3.n), pure: the same functions give the browser instant
 * feedback and the server its authoritative findings. Every rule reads the encounter and the
 * reference data for its codes on the date of service, and every finding names its source.
 */

const X_MODIFIERS = ['XE', 'XP', 'XS', 'XU'];
/** PC/TC indicators for which modifier 26 or TC has a fee schedule row. */
const PCTC_ALLOWS_26 = new Set(['1', '6', '8']);
const PCTC_ALLOWS_TC = new Set(['1']);
/** Bilateral indicators that accept modifier 50 (1: 150% adjustment, 3: 100% each side). */
const BILATERAL_ALLOWS_50 = new Set(['1', '3']);
/** The add-on file's placeholder for "no specific primary list". */
const ANY_PRIMARY = 'CCCCC';

const CODE_SYSTEM_LABEL: Readonly<Record<CodeSystem, string>> = {
  CPT: 'CPT',
  HCPCS: 'HCPCS Level II',
  ICD10CM: 'ICD-10-CM',
  MODIFIER: 'modifier',
};

/** Policy citations for rules that rest on no data file. */
const POLICY = {
  pointer: 'CMS-1500 item 24E: every line points at 1 to 4 diagnoses listed in item 21',
  duplicate: 'CMS claims processing: an identical line on the same date is denied as a duplicate',
  modifier59:
    'CMS NCCI policy: modifier 59 is not used with an X{EPSU} modifier, nor on an E/M service',
  modifier25: 'CPT modifier 25 describes a significant, separately identifiable E/M service only',
  modifier50:
    'CMS claims processing: a bilateral procedure is one line with 50, or two lines with LT and RT',
  officeVisit: 'CMS: one office or outpatient E/M visit per patient, provider and date',
  categoryII:
    'CPT Category II codes track performance measures and are reported with the service they measure',
  modifier25Alone:
    'CPT modifier 25: an E/M separately identifiable from a procedure or other service on the same day',
  majorGlobal:
    'CMS global surgery: an E/M on the day of (or before) a 90-day-global surgery is in its package unless modifier 57 marks the decision for surgery',
} as const;

interface Context {
  input: EditsInput;
  reference: EditsReference;
  findings: Finding[];
}

/** Every finding of an encounter, errors first, then in rule and line order. */
export function evaluateEdits(input: EditsInput, reference: EditsReference): Finding[] {
  const context: Context = { input, reference, findings: [] };
  checkCoverage(context);
  checkCodesInEffect(context);
  checkDiagnoses(context);
  checkModifiersInEffect(context);
  checkAddOns(context);
  checkPtp(context);
  checkMue(context);
  checkModifierRules(context);
  checkPointers(context);
  checkDuplicates(context);
  checkOfficeVisits(context);
  checkCategoryII(context);
  checkMajorGlobal(context);
  // Chart-level findings (no line) first within each severity: they frame every other one.
  const order = (f: Finding) => (f.severity === 'error' ? 0 : 2) + (f.lineIds.length ? 1 : 0);
  return context.findings.sort((a, b) => order(a) - order(b));
}

/** The code system of a claim line's code. */
export function procedureSystem(code: string): CodeSystem {
  return procedureCodeKind(code) === 'HCPCS-II' ? 'HCPCS' : 'CPT';
}

function add(
  context: Context,
  ruleId: EditRuleId,
  lines: readonly EditsLine[],
  codes: readonly string[],
  message: string,
  source: FindingSource,
): void {
  const lineIds = lines.map((l) => l.id);
  context.findings.push({
    id: `${ruleId}:${lineIds.join('+')}:${codes.join('+')}`,
    ruleId,
    severity: EDIT_RULES[ruleId].severity,
    lineIds,
    codes: [...codes],
    message,
    source,
  });
}

function policySource(text: string): FindingSource {
  return {
    dataset: 'Coding policy',
    edition: null,
    file: null,
    row: null,
    effectiveDate: null,
    text,
  };
}

function dataSource(ref: DatasetRef, row: number | null, detail: string): FindingSource {
  return {
    dataset: ref.dataset,
    edition: ref.edition,
    file: ref.file,
    row,
    effectiveDate: ref.effectiveDate,
    text: `${ref.dataset} ${ref.edition}: ${detail}`,
  };
}

function inEffect(
  fact: Pick<CodeEditionFact, 'effectiveDate' | 'terminationDate'>,
  date: string,
): boolean {
  return (
    fact.effectiveDate <= date && (fact.terminationDate === null || fact.terminationDate >= date)
  );
}

function lineLabel(context: Context, line: EditsLine): string {
  return `line ${context.input.lines.indexOf(line) + 1}`;
}

type Existence =
  | { status: 'ok'; facts: CodeEditionFact[] }
  | { status: 'unknown' }
  | { status: 'unlisted' }
  | { status: 'not-in-effect'; facts: CodeEditionFact[] }
  | { status: 'not-loaded' }
  | { status: 'not-covered'; facts: CodeEditionFact[] };

/** Labels of the CPT kinds, for messages. */
const CPT_KIND_LABEL: Readonly<Record<ProcedureCodeKind, string>> = {
  'CPT-I': 'CPT',
  'CPT-II': 'CPT Category II',
  'CPT-III': 'CPT Category III',
  'CPT-PLA': 'CPT PLA',
  'CPT-OTHER': 'CPT',
  'HCPCS-II': 'HCPCS Level II',
};

/** True when anything that lists CPT numbers is loaded: a CPT catalogue or a CMS file. */
function cptNumbersLoaded(reference: EditsReference): boolean {
  const { systemsLoaded, feeSource, ptpSource, mueSource, addOnSource, clfsSource } = reference;
  return (
    systemsLoaded.includes('CPT') ||
    [feeSource, ptpSource, mueSource, addOnSource, clfsSource].some((s) => s !== null)
  );
}

/** True when no loaded edition of `system` covers the date of service: told once per chart, not per code. */
function uncovered(context: Context, system: string): boolean {
  return context.reference.coverage.some((c) => c.key === system && c.status === 'not-covered');
}

/**
 * Whether `code` is in the code set on the date of service. A CPT number is known when any
 * loaded public CMS file lists it (RVU, PTP, MUE, add-on edits, CLFS) or the licensed CPT file
 * does: CMS publishes the numbers even where the descriptors are licensed. A well-formed CPT
 * number that none lists is `unlisted` (a warning) unless a licensed CPT file is loaded and
 * covers the date, which makes it `unknown`. HCPCS Level II, ICD-10-CM and modifiers are
 * judged by their own code sets.
 */
function existence(context: Context, system: CodeSystem, code: string): Existence {
  const facts = context.reference.codes[`${system}:${code}`] ?? [];
  const listed =
    (system === 'CPT' || system === 'HCPCS') && (context.reference.listedIn[code]?.length ?? 0) > 0;
  if (uncovered(context, system)) return { status: 'not-covered', facts };
  if (facts.length === 0) {
    if (listed) return { status: 'ok', facts };
    if (system === 'CPT') {
      if (context.reference.catalog.CPT) return { status: 'unknown' };
      return cptNumbersLoaded(context.reference)
        ? { status: 'unlisted' }
        : { status: 'not-loaded' };
    }
    return context.reference.systemsLoaded.includes(system)
      ? { status: 'unknown' }
      : { status: 'not-loaded' };
  }
  const current = facts.filter((f) => inEffect(f, context.input.dateOfService));
  if (current.length) return { status: 'ok', facts: current };
  return { status: 'not-in-effect', facts };
}

function catalogSource(
  context: Context,
  system: CodeSystem,
  fact: CodeEditionFact | null,
  detail: string,
): FindingSource {
  const ref = context.reference.catalog[system];
  const dataset = `${CODE_SYSTEM_LABEL[system]} code set`;
  if (fact) {
    return {
      dataset,
      edition: fact.edition,
      file: fact.file,
      row: fact.row,
      effectiveDate: fact.effectiveDate,
      text: `${dataset} ${fact.edition}: ${detail}`,
    };
  }
  if (ref) return dataSource({ ...ref, dataset }, null, detail);
  return policySource(`${dataset}: ${detail}`);
}

function notInEffectDetail(code: string, facts: readonly CodeEditionFact[], date: string): string {
  const ended = facts
    .filter((f) => f.terminationDate !== null && f.terminationDate < date)
    .map((f) => f.terminationDate!);
  if (ended.length) return `${code} ended on ${ended.sort().at(-1)}`;
  const starts = facts.map((f) => f.effectiveDate).sort()[0];
  return `${code} takes effect on ${starts}`;
}

/** Rule 3.1: every procedure code is in the active code set on the date of service. */
function checkCodesInEffect(context: Context): void {
  const date = context.input.dateOfService;
  for (const line of context.input.lines) {
    const system = procedureSystem(line.code);
    const found = existence(context, system, line.code);
    if (found.status === 'unknown') {
      add(
        context,
        'code-unknown',
        [line],
        [line.code],
        `${line.code} on ${lineLabel(context, line)} is not a ${CODE_SYSTEM_LABEL[system]} code in any loaded edition.`,
        catalogSource(context, system, null, `${line.code} not listed`),
      );
    } else if (found.status === 'unlisted') {
      const kind = CPT_KIND_LABEL[procedureCodeKind(line.code) ?? 'CPT-OTHER'];
      const files =
        context.reference.feeSource || context.reference.ptpSource || context.reference.mueSource
          ? 'no loaded CMS file (RVU, PTP, MUE, add-on, CLFS)'
          : 'no CMS file is loaded';
      add(
        context,
        'code-unlisted',
        [line],
        [line.code],
        `${line.code} on ${lineLabel(context, line)} has the form of a ${kind} code, but ${files} lists it and no licensed CPT file is loaded: check the number.`,
        policySource(`${line.code}: listed in no loaded CMS file and no licensed CPT file`),
      );
    } else if (found.status === 'not-in-effect') {
      const detail = notInEffectDetail(line.code, found.facts, date);
      add(
        context,
        'code-not-in-effect',
        [line],
        [line.code],
        `${line.code} on ${lineLabel(context, line)} is not in effect on the date of service ${date}: ${detail.replace(`${line.code} `, '')}.`,
        catalogSource(context, system, latest(found.facts), detail),
      );
    }
  }
}

function latest(facts: readonly CodeEditionFact[]): CodeEditionFact | null {
  return [...facts].sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate))[0] ?? null;
}

function linesPointingAt(context: Context, index: number): EditsLine[] {
  const letter = DIAGNOSIS_LETTERS[index];
  return context.input.lines.filter((l) => letter !== undefined && l.pointers.includes(letter));
}

/** Rule 3.1 for diagnoses: in the code set on the date of service, and billable. */
function checkDiagnoses(context: Context): void {
  const date = context.input.dateOfService;
  context.input.diagnoses.forEach((code, index) => {
    const shown = formatIcd10Cm(code);
    const lines = linesPointingAt(context, index);
    const found = existence(context, 'ICD10CM', code);
    if (found.status === 'not-covered') {
      checkBillable(context, code, index, lines, found.facts);
    } else if (found.status === 'unknown') {
      add(
        context,
        'code-unknown',
        lines,
        [code],
        `Diagnosis ${DIAGNOSIS_LETTERS[index]} ${shown} is not an ICD-10-CM code in any loaded edition.`,
        catalogSource(context, 'ICD10CM', null, `${shown} not listed`),
      );
    } else if (found.status === 'not-in-effect') {
      const detail = notInEffectDetail(shown, found.facts, date);
      add(
        context,
        'code-not-in-effect',
        lines,
        [code],
        `Diagnosis ${DIAGNOSIS_LETTERS[index]} ${shown} is not in effect on the date of service ${date}: ${detail.replace(`${shown} `, '')}.`,
        catalogSource(context, 'ICD10CM', latest(found.facts), detail),
      );
    } else if (found.status === 'ok') {
      checkBillable(context, code, index, lines, found.facts);
    }
  });
}

function checkBillable(
  context: Context,
  code: string,
  index: number,
  lines: EditsLine[],
  facts: readonly CodeEditionFact[],
): void {
  if (!facts.length || facts.some((f) => f.billable)) return;
  const shown = formatIcd10Cm(code);
  add(
    context,
    'diagnosis-not-billable',
    lines,
    [code],
    `Diagnosis ${DIAGNOSIS_LETTERS[index]} ${shown} is a category header; code it to the highest specificity (a billable code below ${shown}).`,
    catalogSource(
      context,
      'ICD10CM',
      latest(facts),
      `${shown} is a header (not valid for HIPAA transactions)`,
    ),
  );
}

/**
 * Rule 3.1 for data sets: editions that do not fit the date of service, told once for the chart: no loaded edition of
 * a data set covers the date (then its per-code checks are not run, or run on the nearest
 * edition, as the note says), or the newest NCCI edition is from an earlier quarter.
 */
function checkCoverage(context: Context): void {
  const date = context.input.dateOfService;
  for (const note of context.reference.coverage) {
    const loaded = note.loaded.map((e) => `${e.edition} (from ${e.effectiveDate})`).join(', ');
    const source: FindingSource = note.applied
      ? dataSource(note.applied, null, `applied to a date of service in ${note.serviceQuarter}`)
      : policySource(`${note.dataset}: loaded editions ${loaded}`);
    if (note.status === 'stale') {
      const applied = note.applied!;
      add(
        context,
        'ncci-edition-stale',
        [],
        [note.key],
        `The newest loaded ${note.dataset} edition is ${applied.edition} (from ${applied.effectiveDate}); it is applied to this ${note.serviceQuarter} date of service, for which CMS has published newer edits. Load the ${note.serviceQuarter} edition.`,
        source,
      );
      continue;
    }
    const consequence = note.applied
      ? `the nearest edition, ${note.applied.edition}, is used and may not match the date`
      : NCCI_KEYS.has(note.key)
        ? 'its edits are not applied to this chart'
        : `its codes are not checked against any edition`;
    add(
      context,
      'edition-not-covering',
      [],
      [note.key],
      `No loaded ${note.dataset} edition covers the date of service ${date}: loaded ${loaded}; ${consequence}.`,
      source,
    );
  }
}

const NCCI_KEYS = new Set(['PTP', 'MUE']);

/** Rule 3.1 for modifiers: they are codes too, each in the modifier list on the date of service. */
function checkModifiersInEffect(context: Context): void {
  const seen = new Map<string, EditsLine[]>();
  for (const line of context.input.lines)
    for (const m of line.modifiers) seen.set(m, [...(seen.get(m) ?? []), line]);
  for (const [modifier, lines] of seen) {
    const found = existence(context, 'MODIFIER', modifier);
    if (found.status === 'unknown') {
      add(
        context,
        'modifier-unknown',
        lines,
        [modifier],
        `Modifier ${modifier} is not in the modifier list.`,
        catalogSource(context, 'MODIFIER', null, `${modifier} not listed`),
      );
    } else if (found.status === 'not-in-effect') {
      const detail = notInEffectDetail(modifier, found.facts, context.input.dateOfService);
      add(
        context,
        'modifier-unknown',
        lines,
        [modifier],
        `Modifier ${modifier} is not in effect on the date of service: ${detail.replace(`${modifier} `, '')}.`,
        catalogSource(context, 'MODIFIER', latest(found.facts), detail),
      );
    }
  }
}

/** Rule 3.2: an add-on code is never alone; type 1 needs one of its listed primaries. */
function checkAddOns(context: Context): void {
  const { lines } = context.input;
  const { addOnEdits, addOnCodes, addOnSource, addOnListSource } = context.reference;
  const listed = new Set(addOnCodes);
  const edits = new Map<string, typeof addOnEdits>();
  for (const edit of addOnEdits) edits.set(edit.addOn, [...(edits.get(edit.addOn) ?? []), edit]);
  const isAddOn = (code: string) => listed.has(code) || edits.has(code);

  for (const line of lines) {
    if (!isAddOn(line.code)) continue;
    const others = lines.filter((l) => l !== line);
    const otherCodes = new Set(others.map((l) => l.code));
    const rows = edits.get(line.code) ?? [];
    const type = rows[0]?.type ?? null;
    const primaries = rows.map((r) => r.primary).filter((p) => p !== ANY_PRIMARY);
    const hasListedPrimary = primaries.some((p) => otherCodes.has(p));
    const hasAnyPrimary = others.some((l) => !isAddOn(l.code));
    const example =
      primaries.slice(0, 3).join(', ') +
      (primaries.length > 3 ? ` and ${primaries.length - 3} more` : '');
    const source =
      rows.length && addOnSource
        ? dataSource(
            { ...addOnSource, dataset: 'NCCI add-on code edits' },
            rows[0]!.row,
            `${line.code} is a type ${type} add-on${primaries.length ? ` (primaries ${example})` : ''}`,
          )
        : addOnListSource
          ? dataSource(addOnListSource, null, `${line.code} is an add-on code`)
          : policySource(`${line.code} is an add-on code (global period ZZZ)`);
    if (type === 1 || (type === 3 && !hasAnyPrimary)) {
      if (hasListedPrimary) continue;
      const what = primaries.length
        ? `one of its primary procedures (${example})`
        : 'a primary procedure';
      add(
        context,
        'addon-without-primary',
        [line],
        [line.code],
        `${line.code} is an add-on code and needs ${what} on the same encounter.`,
        source,
      );
    } else if (type === 3) {
      if (hasListedPrimary) continue;
      add(
        context,
        'addon-primary-unlisted',
        [line],
        [line.code],
        `${line.code} is an add-on code whose CMS primary list (${example}) has no code on this encounter; check that the contractor accepts this primary.`,
        source,
      );
    } else if (!hasAnyPrimary) {
      add(
        context,
        'addon-without-primary',
        [line],
        [line.code],
        `${line.code} is an add-on code and is never reported alone: add the primary procedure.`,
        source,
      );
    }
  }
}

/** Rule 3.3: NCCI procedure-to-procedure pairs on the same date. */
function checkPtp(context: Context): void {
  const source = context.reference.ptpSource;
  if (!source) return;
  for (const { edit, first, second, outcome } of ptpPairs(context.input, context.reference)) {
    const detail = `${edit.column1} / ${edit.column2}, modifier indicator ${edit.modifierIndicator}`;
    const cite = dataSource(source, edit.row, detail);
    const pair = [first, second];
    const codes = [edit.column1, edit.column2];
    const label = `${edit.column1} (${lineLabel(context, first)}) and ${edit.column2} (${lineLabel(context, second)})`;
    if (outcome.kind === 'denied') {
      add(
        context,
        'ptp-not-allowed',
        pair,
        codes,
        `${label} are never billed together: ${edit.column2} is not paid with ${edit.column1}, whatever the modifier (${edit.rationale}).`,
        cite,
      );
    } else if (outcome.kind === 'bypassed') {
      add(
        context,
        'ptp-modifier-bypass',
        pair,
        codes,
        `Modifier ${outcome.modifier} on ${edit.column2} bypasses the NCCI edit with ${edit.column1}; the note must show ${isEvaluationAndManagement(edit.column2) ? 'a significant, separately identifiable E/M service' : 'a separate session, site or encounter'}.`,
        cite,
      );
    } else {
      const not = outcome.notBypass
        ? ` ${outcome.notBypass} on ${edit.column2} does not bypass this edit.`
        : '';
      add(
        context,
        'ptp-modifier-required',
        pair,
        codes,
        `${label} are bundled: ${edit.column2} is paid with ${edit.column1} only with ${outcome.advice} (${edit.rationale}).${not}`,
        cite,
      );
    }
  }
}

const MAI_LABEL = {
  1: 'per line',
  2: 'per date of service (policy)',
  3: 'per date of service (clinical)',
} as const;

/** Rule 3.4: medically unlikely edits, by adjudication indicator. */
function checkMue(context: Context): void {
  const source = context.reference.mueSource;
  if (!source) return;
  const byCode = new Map<string, EditsLine[]>();
  for (const line of context.input.lines)
    byCode.set(line.code, [...(byCode.get(line.code) ?? []), line]);
  for (const [code, lines] of byCode) {
    const mue = context.reference.mue[code];
    if (!mue) continue;
    const cite = dataSource(
      source,
      mue.row,
      `${code}, MUE ${mue.value}, adjudication indicator ${mue.mai} (${MAI_LABEL[mue.mai]})`,
    );
    if (mue.value === 0) {
      add(
        context,
        'mue-not-payable',
        lines,
        [code],
        `${code} has an MUE of 0: Medicare does not pay it on a practitioner claim (it is billed by a facility, or not covered), whatever the units (${mue.rationale}).`,
        cite,
      );
      continue;
    }
    if (mue.mai === 1) {
      for (const line of lines.filter((l) => l.units > mue.value)) {
        add(
          context,
          'mue-exceeded',
          [line],
          [code],
          `${code} on ${lineLabel(context, line)} has ${line.units} units; at most ${mue.value} per line (${mue.rationale}).`,
          cite,
        );
      }
      continue;
    }
    const units = lines.reduce((sum, l) => sum + l.units, 0);
    if (units <= mue.value) continue;
    if (mue.mai === 2) {
      add(
        context,
        'mue-exceeded',
        lines,
        [code],
        `${code} has ${units} units on this date; at most ${mue.value} per date of service, and this limit is not appealable (${mue.rationale}).`,
        cite,
      );
    } else {
      add(
        context,
        'mue-exceeded-clinical',
        lines,
        [code],
        `${code} has ${units} units on this date; more than ${mue.value} per date is clinically unlikely and needs documentation (${mue.rationale}).`,
        cite,
      );
    }
  }
}

/** Rule 3.5: modifier rules. */
function checkModifierRules(context: Context): void {
  const { lines } = context.input;
  const fees = feeRowsByCode(context.reference.fees);
  const feeSource = context.reference.feeSource;
  const feeCite = (code: string, row: number, detail: string) =>
    feeSource ? dataSource(feeSource, row, `${code} ${detail}`) : policySource(`${code} ${detail}`);

  for (const line of lines) {
    const label = lineLabel(context, line);
    const has = (m: string) => line.modifiers.includes(m);
    const em = isEvaluationAndManagement(line.code);
    const feeRow = fees.get(line.code)?.get('');

    const x = line.modifiers.find((m) => X_MODIFIERS.includes(m));
    if (has('59') && x) {
      add(
        context,
        'modifier-59-with-x',
        [line],
        [line.code, '59', x],
        `${line.code} on ${label} carries both 59 and ${x}; use the X modifier alone.`,
        policySource(POLICY.modifier59),
      );
    }
    if (has('59') && em) {
      add(
        context,
        'modifier-59-on-em',
        [line],
        [line.code, '59'],
        `${line.code} on ${label} is an E/M service; modifier 59 is not used on E/M (use 25 for a separate E/M).`,
        policySource(POLICY.modifier59),
      );
    }
    if (has('25') && !em) {
      add(
        context,
        'modifier-25-not-em',
        [line],
        [line.code, '25'],
        `Modifier 25 on ${label} applies to E/M services only; ${line.code} is not one.`,
        policySource(POLICY.modifier25),
      );
    }
    if (
      has('25') &&
      em &&
      !lines.some(
        (l) =>
          l !== line &&
          !isEvaluationAndManagement(l.code) &&
          procedureCodeKind(l.code) !== 'CPT-II',
      )
    ) {
      add(
        context,
        'modifier-25-without-procedure',
        [line],
        [line.code, '25'],
        `Modifier 25 on ${line.code} (${label}) marks an E/M separate from a procedure or other service on the same day, but the chart has no other service: remove 25 or add the procedure.`,
        policySource(POLICY.modifier25Alone),
      );
    }
    if (feeRow && (has('26') || has('TC'))) {
      const both = has('26') && has('TC');
      const bad26 = has('26') && !PCTC_ALLOWS_26.has(feeRow.pctc);
      const badTc = has('TC') && !PCTC_ALLOWS_TC.has(feeRow.pctc);
      if (both || bad26 || badTc) {
        const modifier = both ? '26 and TC' : bad26 ? '26' : 'TC';
        const why = both
          ? 'a line is either the professional or the technical component'
          : `its PC/TC indicator ${feeRow.pctc} has no ${modifier} component`;
        add(
          context,
          'modifier-pctc-not-allowed',
          [line],
          [line.code, ...(both ? ['26', 'TC'] : [modifier])],
          `Modifier ${modifier} on ${line.code} (${label}) is not allowed: ${why}.`,
          feeCite(line.code, feeRow.row, `PC/TC indicator ${feeRow.pctc}`),
        );
      }
    }
    if (has('50')) {
      const side = line.modifiers.find((m) => m === 'LT' || m === 'RT');
      if (side) {
        add(
          context,
          'modifier-50-with-side',
          [line],
          [line.code, '50', side],
          `${line.code} on ${label} carries 50 and ${side}; a bilateral service is 50 alone, or two lines with LT and RT.`,
          policySource(POLICY.modifier50),
        );
      }
      if (feeRow && !BILATERAL_ALLOWS_50.has(feeRow.bilateral)) {
        add(
          context,
          'modifier-50-not-allowed',
          [line],
          [line.code, '50'],
          `Modifier 50 is not allowed on ${line.code} (${label}): bilateral indicator ${feeRow.bilateral}${feeRow.bilateral === '2' ? ' (the code is already bilateral)' : ''}.`,
          feeCite(line.code, feeRow.row, `bilateral surgery indicator ${feeRow.bilateral}`),
        );
      }
    }
    if (has('57') && feeSource) {
      const major = lines.find(
        (l) => l !== line && fees.get(l.code)?.get('')?.globalDays === '090',
      );
      if (!major) {
        add(
          context,
          'modifier-57-not-major',
          [line],
          [line.code, '57'],
          `Modifier 57 on ${label} marks the decision for a major surgery, but no line has a 90-day global period.`,
          feeCite(
            line.code,
            feeRow?.row ?? 0,
            'modifier 57 needs a procedure with global days 090',
          ),
        );
      }
    }
  }
}

/** Rule 3.8: an E/M on the day of a 90-day-global surgery is in the surgery's package unless 57 marks the decision for surgery. */
function checkMajorGlobal(context: Context): void {
  const feeSource = context.reference.feeSource;
  if (!feeSource) return;
  const fees = feeRowsByCode(context.reference.fees);
  const major = context.input.lines.filter((l) => fees.get(l.code)?.get('')?.globalDays === '090');
  if (!major.length) return;
  const surgery = major[0]!;
  const row = fees.get(surgery.code)!.get('')!;
  for (const visit of context.input.lines.filter(
    (l) => isEvaluationAndManagement(l.code) && !l.modifiers.includes('57'),
  )) {
    const with25 = visit.modifiers.includes('25')
      ? ' Modifier 25 is for minor procedures (0 or 10 global days).'
      : '';
    add(
      context,
      'em-in-major-global',
      [visit, surgery],
      [visit.code, surgery.code],
      `${visit.code} (${lineLabel(context, visit)}) is on the day of ${surgery.code} (${lineLabel(context, surgery)}), a 90-day-global surgery: the visit is part of the surgical package unless it is where the decision for surgery was made; then add 57.${with25}`,
      dataSource(feeSource, row.row, `${surgery.code} global days 090`),
    );
  }
}

/** Rule 3.6: every line points at one to four diagnoses that exist. */
function checkPointers(context: Context): void {
  const { lines, diagnoses } = context.input;
  for (const line of lines) {
    const label = lineLabel(context, line);
    if (line.pointers.length === 0) {
      add(
        context,
        'line-without-pointer',
        [line],
        [line.code],
        `${line.code} on ${label} has no diagnosis pointer.`,
        policySource(POLICY.pointer),
      );
      continue;
    }
    const dangling = line.pointers.filter((p) => DIAGNOSIS_LETTERS.indexOf(p) >= diagnoses.length);
    if (dangling.length) {
      add(
        context,
        'pointer-without-diagnosis',
        [line],
        [line.code, ...dangling],
        `${line.code} on ${label} points at ${dangling.join(', ')}, but the encounter has ${diagnoses.length === 0 ? 'no diagnoses' : `diagnoses A to ${DIAGNOSIS_LETTERS[diagnoses.length - 1]} only`}.`,
        policySource(POLICY.pointer),
      );
    }
  }
}

/** Rule 3.6: no exact duplicate lines (same code, same modifiers in any order). */
function checkDuplicates(context: Context): void {
  const first = new Map<string, EditsLine>();
  for (const line of context.input.lines) {
    const key = `${line.code}|${[...line.modifiers].sort().join(',')}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, line);
      continue;
    }
    add(
      context,
      'duplicate-line',
      [earlier, line],
      [line.code],
      `${lineLabel(context, line)} repeats ${lineLabel(context, earlier)} (${line.code}${line.modifiers.length ? `-${line.modifiers.join('-')}` : ''}); report units on one line, or add a modifier such as 76 for a repeat procedure.`,
      policySource(POLICY.duplicate),
    );
  }
}

/** Rule 3.6: at most one office visit per provider and date. */
function checkOfficeVisits(context: Context): void {
  const visits = context.input.lines.filter((l) => isOfficeVisit(l.code));
  if (visits.length < 2) return;
  add(
    context,
    'office-visit-repeated',
    visits,
    visits.map((l) => l.code),
    `${visits.length} office visits (${visits.map((l) => l.code).join(', ')}) on one date for one provider; usually one visit is reported at the level of the combined work.`,
    policySource(POLICY.officeVisit),
  );
}

/** Rule 3.7: a Category II line needs a Category I service on the encounter. */
function checkCategoryII(context: Context): void {
  const { lines } = context.input;
  if (lines.some((l) => procedureCodeKind(l.code) === 'CPT-I')) return;
  for (const line of lines.filter((l) => procedureCodeKind(l.code) === 'CPT-II')) {
    add(
      context,
      'category-ii-alone',
      [line],
      [line.code],
      `${line.code} is a Category II (performance measure) code and needs the Category I service it measures on the same encounter.`,
      policySource(POLICY.categoryII),
    );
  }
}

/**
 * Reference data with nothing loaded: the rules that need no data (pointers, modifier
 * combinations, duplicates, Category II) still run. What the browser starts from before the
 * server's reference data arrives.
 */
export function emptyEditsReference(dateOfService: string): EditsReference {
  return {
    dateOfService,
    systemsLoaded: [],
    codes: {},
    catalog: {},
    ptp: [],
    ptpSource: null,
    mue: {},
    mueSource: null,
    addOnEdits: [],
    addOnSource: null,
    addOnCodes: [],
    addOnListSource: null,
    fees: [],
    feeSource: null,
    conversionFactor: null,
    clfs: {},
    clfsSource: null,
    listedIn: {},
    coverage: [],
  };
}

/** The codes whose reference data an encounter needs: its procedures, diagnoses and modifiers. */
export function referenceCodes(input: Pick<EditsInput, 'diagnoses' | 'lines'>): string[] {
  const codes = new Set<string>();
  for (const line of input.lines) {
    codes.add(line.code);
    for (const m of line.modifiers) codes.add(m);
  }
  for (const d of input.diagnoses) codes.add(d);
  return [...codes];
}
