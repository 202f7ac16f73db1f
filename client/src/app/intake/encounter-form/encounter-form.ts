import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule, type MatAutocompleteTrigger } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  CreateEncounterSchema,
  MAX_DIAGNOSES,
  PLACES_OF_SERVICE,
  diagnosisLetter,
  formatIcd10Cm,
  normalizeCode,
  isAdminRole,
  type CodeSystem,
  type CreateEncounter,
  type Encounter,
  type Role,
  type TeamMember,
} from '@countersign/shared';
import { toApiError } from '../../core/api/api-error';
import { AuthService } from '../../core/auth/auth.service';
import { CatalogLookup } from '../../core/catalog/catalog-lookup';
import { CodeTypeahead } from '../../core/catalog/code-typeahead';
import { TeamDirectory } from '../../core/team/team-directory';

/** The fields of the form, named by their path in `CreateEncounterSchema` (how errors are keyed). */
export const ENCOUNTER_FIELDS = [
  'patient.name',
  'patient.mrn',
  'patient.dateOfBirth',
  'dateOfService',
  'provider.name',
  'provider.npi',
  'placeOfService',
  'clinicalNote',
  'diagnoses',
  'coderId',
  'reviewerId',
] as const;
export type EncounterField = (typeof ENCOUNTER_FIELDS)[number];

/** Per field, the first problem with it; `form` holds what belongs to no one field. */
export type FieldErrors = Partial<Record<EncounterField | 'form', string>>;

/** The header of a chart: what the form edits in `header` mode. */
export type EncounterHeader = Pick<
  CreateEncounter,
  'patient' | 'dateOfService' | 'provider' | 'placeOfService'
>;

/** The largest note file read into the form (the schema's limit is 200,000 characters). */
const MAX_NOTE_FILE_BYTES = 1024 * 1024;

/** The field a schema path (`patient.name`, `diagnoses.3`) belongs to, or `form`. */
export function fieldOf(path: string): EncounterField | 'form' {
  return ENCOUNTER_FIELDS.find((field) => path === field || path.startsWith(`${field}.`)) ?? 'form';
}

/** Collects issues (the zod ones, or the server's `details.issues`) into one message per field. */
export function fieldErrors(
  issues: ReadonlyArray<{ path: string; message: string }>,
  fallback?: string,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    errors[field] ??= issue.message;
  }
  if (!issues.length && fallback) errors.form = fallback;
  return errors;
}

/** A refusal from the server as errors by field: `validation_failed` lists its issues. */
export function serverFieldErrors(error: unknown): FieldErrors {
  const refusal = toApiError(error);
  const issues = (refusal.details as { issues?: unknown } | undefined)?.issues;
  if (refusal.code === 'validation_failed' && Array.isArray(issues)) {
    const list = issues.filter(
      (i): i is { path: string; message: string } =>
        typeof (i as { path?: unknown }).path === 'string' &&
        typeof (i as { message?: unknown }).message === 'string',
    );
    const errors = fieldErrors(list, refusal.message);
    if (list.length && !Object.keys(errors).some((k) => k !== 'form'))
      errors.form ??= refusal.message;
    return errors;
  }
  return { form: refusal.message };
}

const CODER_ROLES: readonly Role[] = ['coder', 'supervisor'];
const REVIEWER_ROLES: readonly Role[] = ['reviewer', 'supervisor'];

/**
 * A chart's header, note and diagnoses: the "New encounter" page (`create`) and the header
 * editor of a draft (`header`: patient, dates, provider, place of service only). The values are
 * checked with the server's own schema (`CreateEncounterSchema`) on submit and on each field the
 * person leaves; the parent sends them and passes the server's refusal back as `serverErrors`.
 */
@Component({
  selector: 'cs-encounter-form',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    CodeTypeahead,
  ],
  templateUrl: './encounter-form.html',
  styleUrl: './encounter-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EncounterForm {
  private readonly auth = inject(AuthService);
  private readonly team = inject(TeamDirectory);
  private readonly catalog = inject(CatalogLookup);

  readonly mode = input<'create' | 'header'>('create');
  /** The chart whose header is edited (`header` mode). */
  readonly initial = input<Encounter | null>(null);
  readonly busy = input(false);
  readonly submitLabel = input('Create encounter');
  /** What the server refused, by field. */
  readonly serverErrors = input<FieldErrors>({});

  readonly save = output<CreateEncounter>();
  readonly cancelled = output<void>();

  protected readonly places = PLACES_OF_SERVICE;
  protected readonly maxDiagnoses = MAX_DIAGNOSES;
  protected readonly diagnosisSystems: readonly CodeSystem[] = ['ICD10CM'];

  protected readonly form = new FormGroup({
    patientName: new FormControl('', { nonNullable: true }),
    mrn: new FormControl('', { nonNullable: true }),
    dateOfBirth: new FormControl('', { nonNullable: true }),
    dateOfService: new FormControl('', { nonNullable: true }),
    providerName: new FormControl('', { nonNullable: true }),
    npi: new FormControl('', { nonNullable: true }),
    placeOfService: new FormControl('11', { nonNullable: true }),
    clinicalNote: new FormControl('', { nonNullable: true }),
    coderId: new FormControl('', { nonNullable: true }),
    reviewerId: new FormControl('', { nonNullable: true }),
    assignToMe: new FormControl(false, { nonNullable: true }),
  });
  protected readonly newCode = new FormControl('', { nonNullable: true });
  protected readonly diagnoses = signal<readonly string[]>([]);
  protected readonly noteFileError = signal<string | null>(null);
  protected readonly noteFileName = signal<string | null>(null);

  /** Errors of the last check; a field shows its own once touched or after a submit. */
  private readonly checked = signal<FieldErrors>({});
  private readonly submitted = signal(false);
  private readonly touched = signal<ReadonlySet<string>>(new Set());
  private readonly dateOfService = toSignal(this.form.controls.dateOfService.valueChanges, {
    initialValue: '',
  });

  protected readonly errors = computed<FieldErrors>(() => {
    const own = this.checked();
    const shown: FieldErrors = {};
    for (const [field, message] of Object.entries(own) as Array<[EncounterField, string]>)
      if (this.submitted() || this.touched().has(field)) shown[field] = message;
    return { ...shown, ...this.serverErrors() };
  });
  protected readonly noteLength = toSignal(this.form.controls.clinicalNote.valueChanges, {
    initialValue: '',
  });

  /** Supervisors and admins assign anyone; a coder may only take the chart themself. */
  protected readonly assigns = computed(() => {
    const role = this.auth.user()?.role;
    return role === 'supervisor' || (role !== undefined && isAdminRole(role));
  });
  protected readonly canTake = computed(() => this.auth.user()?.role === 'coder');
  protected readonly coders = computed(() => this.membersOf(CODER_ROLES));
  protected readonly reviewers = computed(() => this.membersOf(REVIEWER_ROLES));
  protected readonly typeaheadDate = computed(() => this.dateOfService() || null);

  constructor() {
    effect(() => {
      const encounter = this.initial();
      if (encounter) untracked(() => this.fill(encounter));
    });
    effect(() => {
      if (this.mode() === 'create' && this.assigns()) untracked(() => void this.team.ensure());
    });
  }

  protected letter(index: number): string {
    return diagnosisLetter(index);
  }

  protected display(code: string): string {
    return formatIcd10Cm(code);
  }

  protected description(code: string): string {
    return this.catalog.find(code, ['ICD10CM'])?.shortDescription ?? '';
  }

  /** Checks the form when a field is left, so its error shows without waiting for submit. */
  protected leave(field: EncounterField): void {
    this.touched.update((set) => new Set(set).add(field));
    this.check();
  }

  protected addDiagnosis(): void {
    // Stored without the dot, as the server keeps codes: "M17.11" and "M1711" are one code.
    const code = normalizeCode(this.newCode.value);
    if (!code) return;
    if (this.diagnoses().includes(code)) {
      this.newCode.setValue('');
      return;
    }
    this.diagnoses.update((list) => [...list, code]);
    this.newCode.setValue('');
    void this.catalog.ensure([code]);
    this.leave('diagnoses');
  }

  /** Enter in the diagnosis field picks the highlighted code, or adds what was typed; never submits. */
  protected diagnosisEnter(
    event: Event,
    typeahead: CodeTypeahead,
    trigger: MatAutocompleteTrigger,
  ): void {
    const forPanel = typeahead.handles(event, trigger);
    event.preventDefault();
    if (!forPanel) this.addDiagnosis();
  }

  protected removeDiagnosis(index: number): void {
    this.diagnoses.update((list) => list.filter((_, i) => i !== index));
    this.check();
  }

  /** Reads a plain-text note file into the note field. */
  protected async readNote(event: Event): Promise<void> {
    const inputElement = event.target as HTMLInputElement;
    const file = inputElement.files?.[0];
    inputElement.value = '';
    if (!file) return;
    if (file.size > MAX_NOTE_FILE_BYTES) {
      this.noteFileError.set(`${file.name} is larger than 1 MB; paste the note instead.`);
      return;
    }
    const text = await file.text();
    if (text.includes('\u0000')) {
      this.noteFileError.set(`${file.name} is not a text file.`);
      return;
    }
    this.noteFileError.set(null);
    this.noteFileName.set(file.name);
    this.form.controls.clinicalNote.setValue(text.replace(/\r\n?/g, '\n'));
    this.leave('clinicalNote');
  }

  protected submit(): void {
    this.submitted.set(true);
    const value = this.check();
    if (value && !this.busy()) this.save.emit(value);
  }

  /** Checks the whole form with the server's schema; the parsed body, or null. */
  private check(): CreateEncounter | null {
    const parsed = CreateEncounterSchema.safeParse(this.candidate());
    if (parsed.success) {
      this.checked.set({});
      return parsed.data;
    }
    this.checked.set(
      fieldErrors(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))),
    );
    return null;
  }

  /** The body as the form holds it; `header` mode leaves out note, diagnoses and assignment. */
  private candidate(): unknown {
    const v = this.form.getRawValue();
    const header = {
      patient: { name: v.patientName, mrn: v.mrn, dateOfBirth: v.dateOfBirth },
      dateOfService: v.dateOfService,
      provider: { name: v.providerName, npi: v.npi.trim() || null },
      placeOfService: v.placeOfService,
    };
    if (this.mode() === 'header') return header;
    const self = this.auth.user()?.id ?? null;
    return {
      ...header,
      clinicalNote: v.clinicalNote,
      diagnoses: this.diagnoses(),
      coderId: this.assigns() ? v.coderId || null : v.assignToMe ? self : null,
      reviewerId: this.assigns() ? v.reviewerId || null : null,
    };
  }

  private fill(encounter: Encounter): void {
    this.form.patchValue({
      patientName: encounter.patient.name,
      mrn: encounter.patient.mrn,
      dateOfBirth: encounter.patient.dateOfBirth,
      dateOfService: encounter.dateOfService,
      providerName: encounter.provider.name,
      npi: encounter.provider.npi ?? '',
      placeOfService: encounter.placeOfService,
    });
  }

  private membersOf(roles: readonly Role[]): TeamMember[] {
    return this.team
      .members()
      .filter((member) => roles.includes(member.role))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
