import { normalizeCode, type PracticeKeyLineStored } from '@countersign/shared';
import type { DataSource } from 'typeorm';
import { PracticeRepository } from '../practice/practice.repository.js';

interface DemoPracticeChart {
  title: string;
  patient: { mrn: string; name: string; dateOfBirth: string };
  dateOfService: string;
  provider: { name: string; npi: string | null };
  placeOfService: string;
  clinicalNote: string;
  diagnoses: string[];
  keyLines: PracticeKeyLineStored[];
}

const PROVIDER = { name: 'Dr. Priya Raman', npi: null };

/**
 * The demo's practice courses (docs/domain.md section 11.1): made-up patients, notes and
 * explanations written for the demo in plain words (no code descriptor text).
 */
export const DEMO_PRACTICE_COURSES: ReadonlyArray<{
  title: string;
  description: string;
  passPercent: number;
  minCharts: number;
  charts: DemoPracticeChart[];
}> = [
  {
    title: 'E/M levels',
    description: 'Choosing the office visit level from the medical decision making in the note.',
    passPercent: 80,
    minCharts: 2,
    charts: [
      {
        title: 'Diabetes follow-up, stable',
        patient: { mrn: 'PR-100201', name: 'Hollis, Avery', dateOfBirth: '1961-04-12' },
        dateOfService: '2026-03-02',
        provider: PROVIDER,
        placeOfService: '11',
        clinicalNote:
          'Established patient seen for a three-month follow-up of type 2 diabetes without complications. ' +
          'Home glucose readings are in range; no hypoglycemia. A1c last month 6.8%. Continues metformin, ' +
          'no change. One stable chronic illness, low-risk prescription management reviewed. ' +
          'Return in three months.',
        diagnoses: ['E11.9'],
        keyLines: [
          {
            code: '99213',
            modifiers: [],
            units: 1,
            pointers: ['A'],
            explanation:
              'One stable chronic illness and continued prescription drug management: low to moderate ' +
              'decision making for an established patient, which is the 99213 level here, not 99214.',
          },
        ],
      },
      {
        title: 'Hypertension not at goal, new medicine',
        patient: { mrn: 'PR-100202', name: 'Ingram, Sasha', dateOfBirth: '1958-09-30' },
        dateOfService: '2026-03-03',
        provider: PROVIDER,
        placeOfService: '11',
        clinicalNote:
          'Established patient with hypertension, readings 152/94 and 148/96 today and at home, and type 2 ' +
          'diabetes. Blood pressure not at goal: starting amlodipine 5 mg daily. Discussed side effects. ' +
          'Diabetes stable on metformin. Two chronic illnesses, one not at goal; prescription drug management.',
        diagnoses: ['I10', 'E11.9'],
        keyLines: [
          {
            code: '99214',
            modifiers: [],
            units: 1,
            pointers: ['A', 'B'],
            explanation:
              'A chronic illness not at treatment goal plus a second chronic illness, with a new prescription: ' +
              'moderate decision making, the 99214 level. Point at both diagnoses addressed.',
          },
        ],
      },
    ],
  },
  {
    title: 'Modifier 25 and 59',
    description: 'When a visit stands beside a procedure on the same day.',
    passPercent: 75,
    minCharts: 1,
    charts: [
      {
        title: 'Knee injection with a separate problem',
        patient: { mrn: 'PR-100301', name: 'Pendleton, Rowan', dateOfBirth: '1955-01-20' },
        dateOfService: '2026-03-04',
        provider: PROVIDER,
        placeOfService: '11',
        clinicalNote:
          'Established patient for the planned injection of the right knee for osteoarthritis. Also asks ' +
          'about blood pressure: readings elevated for a month; reviewed, started lisinopril 10 mg, ' +
          'follow-up in four weeks. Right knee prepped, injected with triamcinolone 40 mg, tolerated well.',
        diagnoses: ['M17.11', 'I10'],
        keyLines: [
          {
            code: '99213',
            modifiers: ['25'],
            units: 1,
            pointers: ['B'],
            explanation:
              'The blood pressure work is a separate, significant problem beyond the injection visit: bill ' +
              'the visit with modifier 25 and point it at the hypertension only.',
          },
          {
            code: '20610',
            modifiers: ['RT'],
            units: 1,
            pointers: ['A'],
            explanation:
              'Injection of a major joint, the right knee: RT says which side; point at the knee ' +
              'osteoarthritis.',
          },
        ],
      },
    ],
  },
];

/** The demo's practice courses and charts, written by the supervisor; the trainee marked as one. */
export async function seedDemoPractice(
  dataSource: DataSource,
  organizationId: string,
  supervisorId: string,
  traineeId: string,
): Promise<number> {
  const practice = new PracticeRepository();
  return dataSource.transaction(async (tx) => {
    let charts = 0;
    for (const course of DEMO_PRACTICE_COURSES) {
      const courseId = await practice.insertCourse(tx, organizationId, course, supervisorId);
      for (const chart of course.charts) {
        await practice.insertChart(tx, {
          organizationId,
          courseId,
          ...chart,
          // Stored as the encounter stores them: no dot (the room shows it).
          diagnoses: chart.diagnoses.map(normalizeCode),
          sourceEncounterId: null,
          madeUpPatient: true,
          createdBy: supervisorId,
        });
        charts++;
      }
    }
    await practice.setTrainee(tx, traineeId, true, { id: supervisorId, name: '' });
    return charts;
  });
}
