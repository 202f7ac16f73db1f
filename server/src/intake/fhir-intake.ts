import type {
  Bundle,
  CodeableConcept,
  Condition,
  Encounter,
  Identifier,
  HumanName,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { MAX_INTAKE_ROWS, type IntakeRowError } from '@countersign/shared';
import { IntakeFileError } from './csv-intake.js';
import type { IntakeDraft, Located } from './intake-record.js';

/** Code systems the mapping reads (README "Importing charts", FHIR table). */
export const FHIR_SYSTEMS = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  placeOfService:
    'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
} as const;

const BUNDLE_TYPES = new Set(['transaction', 'batch', 'collection', 'document', 'searchset']);

interface Entry {
  resource: Resource;
  /** How errors name it: `Encounter/enc-1`, or its position when it has no id. */
  name: string;
}

/**
 * One draft per Encounter of an R4 Bundle, in Bundle order. The encounter's patient, provider
 * and location are followed through its references (`Patient/x` or a `urn:uuid:` fullUrl);
 * its diagnoses are the Conditions naming it (those in `Encounter.diagnosis` first, by rank),
 * its note the DocumentReferences and Compositions naming it. Places are `Type/id.path`.
 */
export function fhirDrafts(content: string): IntakeDraft[] {
  let typed: Bundle;
  try {
    typed = JSON.parse(content) as Bundle;
  } catch {
    throw fileError('Not readable as JSON');
  }
  if (!isObject(typed) || typed.resourceType !== 'Bundle')
    throw fileError('Not a FHIR Bundle (resourceType must be "Bundle")');
  if (typeof typed.type !== 'string' || !BUNDLE_TYPES.has(typed.type))
    throw fileError(`Bundle.type must be one of ${[...BUNDLE_TYPES].join(', ')}`);
  const entries: Entry[] = [];
  const byReference = new Map<string, Entry>();
  for (const [index, entry] of list(typed.entry).entries()) {
    const typedResource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(typedResource) || typeof typedResource.resourceType !== 'string') continue;
    const id = typeof typedResource.id === 'string' ? typedResource.id : null;
    const named: Entry = {
      resource: typedResource,
      name: id ? `${typedResource.resourceType}/${id}` : `Bundle.entry[${index}]`,
    };
    entries.push(named);
    if (id) byReference.set(`${typedResource.resourceType}/${id}`, named);
    if (typeof entry.fullUrl === 'string') byReference.set(entry.fullUrl, named);
  }
  const encounters = entries.filter((e) => e.resource.resourceType === 'Encounter');
  if (encounters.length === 0) throw fileError('The Bundle has no Encounter');
  if (encounters.length > MAX_INTAKE_ROWS)
    throw fileError(
      `At most ${MAX_INTAKE_ROWS} encounters in one file (found ${encounters.length})`,
    );
  const context = { byReference, related: relatedByEncounter(entries, byReference) };
  return encounters.map((entry, index) => encounterDraft(context, entry, index + 1));
}

interface Context {
  byReference: Map<string, Entry>;
  /** Each Encounter's Conditions, DocumentReferences and Compositions, in Bundle order. */
  related: Map<Entry, Set<Entry>>;
}

/**
 * The resources that name each Encounter, found in one pass over the Bundle (a file of many
 * encounters and many resources is read in time proportional to its size, not their product).
 */
function relatedByEncounter(
  entries: readonly Entry[],
  byReference: Map<string, Entry>,
): Map<Entry, Set<Entry>> {
  const related = new Map<Entry, Set<Entry>>();
  const relate = (reference: Reference | undefined, other: Entry) => {
    const target = isObject(reference) ? reference.reference : undefined;
    const encounter = typeof target === 'string' ? byReference.get(target) : undefined;
    if (encounter?.resource.resourceType !== 'Encounter') return;
    const set = related.get(encounter) ?? new Set<Entry>();
    set.add(other);
    related.set(encounter, set);
  };
  for (const other of entries) {
    const resource = other.resource;
    if (resource.resourceType === 'Condition' || resource.resourceType === 'Composition')
      relate(resource.encounter, other);
    else if (resource.resourceType === 'DocumentReference') {
      const context = isObject(resource.context) ? resource.context : undefined;
      for (const reference of list<Reference>(context?.encounter)) relate(reference, other);
    }
  }
  return related;
}

function encounterDraft(context: Context, entry: Entry, row: number): IntakeDraft {
  const encounter = entry.resource as Encounter;
  const at = (path: string) => `${entry.name}.${path}`;
  const draft: IntakeDraft = {
    row,
    fields: {},
    diagnoses: [],
    diagnosesAt: at('diagnosis'),
    errors: [],
  };
  const problem = (column: string, message: string) => draft.errors.push({ row, column, message });

  const identifier = list<Identifier>(encounter.identifier).find(
    (i) => isObject(i) && i.system !== undefined && i.value !== undefined,
  );
  draft.fields.sourceSystem = { value: identifier?.system, at: at('identifier.system') };
  draft.fields.sourceId = { value: identifier?.value, at: at('identifier.value') };

  const start = isObject(encounter.period) ? encounter.period.start : undefined;
  draft.fields.dateOfService = { value: datePart(start), at: at('period.start') };

  const patient = follow<Patient>(context, encounter.subject, 'Patient', at('subject'), problem);
  if (patient) {
    const p = patient.resource;
    const name = list<HumanName>(p.name)[0];
    draft.fields.patientName = { value: humanName(name), at: `${patient.name}.name` };
    const identifiers = objects<Identifier>(p.identifier);
    const mrn =
      identifiers.find((i) => hasCode(i.type, FHIR_SYSTEMS.identifierType, 'MR')) ?? identifiers[0];
    draft.fields.mrn = { value: mrn?.value, at: `${patient.name}.identifier` };
    draft.fields.dateOfBirth = { value: p.birthDate, at: `${patient.name}.birthDate` };
  } else {
    draft.fields.patientName = { value: undefined, at: at('subject') };
  }

  const participant = list(encounter.participant).find((p) => isObject(p) && p.individual);
  const provider = participant
    ? follow<Practitioner | PractitionerRole>(
        context,
        participant.individual,
        'Practitioner',
        at('participant.individual'),
        problem,
      )
    : null;
  const practitioner = provider ? practitionerOf(context, provider) : null;
  if (practitioner) {
    const p = practitioner.resource;
    draft.fields.providerName = {
      value: humanName(list<HumanName>(p.name)[0]),
      at: `${practitioner.name}.name`,
    };
    const npi = objects<Identifier>(p.identifier).find((i) => i.system === FHIR_SYSTEMS.npi);
    draft.fields.providerNpi = { value: npi?.value, at: `${practitioner.name}.identifier` };
  } else {
    draft.fields.providerName = { value: undefined, at: at('participant') };
  }

  draft.fields.placeOfService = placeOfService(context, encounter, at);
  draft.diagnoses = diagnoses(context, entry, encounter, problem);
  draft.fields.clinicalNote = note(context, entry, problem);
  return draft;
}

/** A reference resolved within the Bundle; a missing or dangling one is a problem at `path`. */
function follow<T extends Resource>(
  context: Context,
  reference: Reference | undefined,
  expected: string,
  path: string,
  problem: (column: string, message: string) => void,
): { resource: T; name: string } | null {
  const target = isObject(reference) ? reference.reference : undefined;
  if (typeof target !== 'string') {
    problem(path, `Required: a reference to the ${expected}`);
    return null;
  }
  const found = context.byReference.get(target);
  if (!found) {
    problem(path, `Refers to ${target}, which is not in the Bundle`);
    return null;
  }
  return { resource: found.resource as T, name: found.name };
}

/** A PractitionerRole stands for its practitioner. */
function practitionerOf(
  context: Context,
  found: { resource: Practitioner | PractitionerRole; name: string },
): { resource: Practitioner; name: string } | null {
  if (found.resource.resourceType === 'Practitioner')
    return found as { resource: Practitioner; name: string };
  const role = found.resource;
  const target = isObject(role.practitioner) ? role.practitioner.reference : undefined;
  const practitioner = typeof target === 'string' ? context.byReference.get(target) : undefined;
  return practitioner?.resource.resourceType === 'Practitioner'
    ? (practitioner as { resource: Practitioner; name: string })
    : null;
}

/** The CMS place-of-service code: on the encounter's Location's type, else on Encounter.serviceType. */
function placeOfService(
  context: Context,
  encounter: Encounter,
  at: (path: string) => string,
): Located {
  for (const item of list(encounter.location)) {
    const target = isObject(item) && isObject(item.location) ? item.location.reference : undefined;
    const location = typeof target === 'string' ? context.byReference.get(target) : undefined;
    if (location?.resource.resourceType !== 'Location') continue;
    const code = codeIn(list<CodeableConcept>(location.resource.type), FHIR_SYSTEMS.placeOfService);
    if (code !== undefined) return { value: code, at: `${location.name}.type` };
  }
  const code = codeIn([encounter.serviceType], FHIR_SYSTEMS.placeOfService);
  return { value: code, at: code === undefined ? at('location') : at('serviceType') };
}

/** The ICD-10-CM codes of the Conditions about this encounter, Encounter.diagnosis order first. */
function diagnoses(
  context: Context,
  entry: Entry,
  encounter: Encounter,
  problem: (column: string, message: string) => void,
): Located[] {
  const conditions = new Set<Entry>();
  const ranked = list(encounter.diagnosis)
    .filter(isObject)
    .map((d, index) => ({ d, index }))
    .sort((a, b) => rank(a.d.rank) - rank(b.d.rank) || a.index - b.index);
  for (const { d } of ranked) {
    const target = isObject(d.condition) ? d.condition.reference : undefined;
    const found = typeof target === 'string' ? context.byReference.get(target) : undefined;
    if (found?.resource.resourceType === 'Condition') conditions.add(found);
    else
      problem(
        `${entry.name}.diagnosis`,
        `Refers to ${String(target)}, which is not a Condition in the Bundle`,
      );
  }
  for (const other of context.related.get(entry) ?? [])
    if (other.resource.resourceType === 'Condition') conditions.add(other);
  return [...conditions].flatMap((condition) => {
    const code = codeIn([(condition.resource as Condition).code], FHIR_SYSTEMS.icd10cm);
    if (code !== undefined) return [{ value: code, at: `${condition.name}.code` }];
    problem(`${condition.name}.code`, `No ICD-10-CM coding (system ${FHIR_SYSTEMS.icd10cm})`);
    return [];
  });
}

/** The note: DocumentReference attachments (text or base64 data) and Composition section text. */
function note(
  context: Context,
  entry: Entry,
  problem: (column: string, message: string) => void,
): Located {
  const parts: string[] = [];
  let at: string | null = null;
  for (const other of context.related.get(entry) ?? []) {
    const resource = other.resource;
    if (resource.resourceType === 'DocumentReference') {
      const doc = resource;
      at ??= `${other.name}.content`;
      for (const [index, content] of list(doc.content).entries()) {
        const attachment = isObject(content) ? content.attachment : undefined;
        if (!isObject(attachment)) continue;
        const type =
          typeof attachment.contentType === 'string' ? attachment.contentType : 'text/plain';
        if (!type.startsWith('text/')) {
          problem(
            `${other.name}.content[${index}].attachment.contentType`,
            `Only text notes are read (found ${type})`,
          );
          continue;
        }
        if (typeof attachment.data !== 'string') {
          problem(
            `${other.name}.content[${index}].attachment.data`,
            'Required: the note as base64 data (a url is not fetched)',
          );
          continue;
        }
        const decoded = decodeBase64(attachment.data);
        if (decoded === null)
          problem(
            `${other.name}.content[${index}].attachment.data`,
            'Not base64-encoded UTF-8 text',
          );
        else parts.push(decoded);
      }
    } else if (resource.resourceType === 'Composition') {
      const composition = resource;
      at ??= `${other.name}.section`;
      for (const section of list(composition.section)) {
        if (!isObject(section)) continue;
        const div = isObject(section.text) ? section.text.div : undefined;
        const body = typeof div === 'string' ? xhtmlText(div) : '';
        const title = typeof section.title === 'string' ? section.title.trim() : '';
        if (body || title) parts.push(title && body ? `${title}\n${body}` : title || body);
      }
    }
  }
  return { value: parts.length ? parts.join('\n\n') : undefined, at: at ?? `${entry.name}` };
}

function rank(value: unknown): number {
  return typeof value === 'number' ? value : Number.MAX_SAFE_INTEGER;
}

function codeIn(concepts: readonly unknown[], system: string): unknown {
  for (const concept of concepts) {
    if (!isObject(concept)) continue;
    const coding = list((concept as CodeableConcept).coding).find(
      (c) => isObject(c) && c.system === system,
    );
    if (coding) return coding.code;
  }
  return undefined;
}

function hasCode(concept: unknown, system: string, code: string): boolean {
  return (
    isObject(concept) &&
    list((concept as CodeableConcept).coding).some(
      (c) => isObject(c) && c.system === system && c.code === code,
    )
  );
}

/** `text`, else the given names and the family name; a non-string part is passed on to be reported. */
function humanName(name: HumanName | undefined): unknown {
  if (!isObject(name)) return undefined;
  if (name.text !== undefined) return name.text;
  const parts = [...list(name.given), name.family].filter((p) => p !== undefined);
  if (parts.some((p) => typeof p !== 'string')) return parts.find((p) => typeof p !== 'string');
  return parts.length ? parts.join(' ') : undefined;
}

/** The date of a FHIR date or dateTime as written (its own time zone); anything else as it is. */
function datePart(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) return value.slice(0, 10);
  return value;
}

function decodeBase64(data: string): string | null {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(data)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    return null;
  }
}

/** The text of a Narrative's XHTML div: tags dropped, block ends as new lines, entities decoded. */
function xhtmlText(div: string): string {
  return div
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function fileError(message: string): IntakeFileError {
  return new IntakeFileError([{ row: 0, column: 'Bundle', message }] satisfies IntakeRowError[]);
}

/**
 * The file is JSON someone wrote: a property typed as an object may be a string. Every step
 * through it is guarded; a leaf value goes to the field checks as it is, to be reported.
 */
function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The array the type promises, or none when the file has something else there. */
function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** The objects of an array the type promises (a file may hold null or a string in their place). */
function objects<T>(value: T[] | undefined): T[] {
  return list(value).filter(isObject);
}
