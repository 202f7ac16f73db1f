import type { ClaimLineInput, EncounterStatus } from '@countersign/shared';

/**
 * Demo encounters seeded into a fresh database on first start, so that a new installation has a
 * worklist to click through. Every patient, clinician, facility and record number here is
 * fictional; the notes were written for this project. NPIs pass the NPI check-digit rule but were
 * made up and are not meant to identify anyone.
 *
 * Most charts are coded correctly. Three carry a deliberate mistake for a reviewer to find; each is
 * marked `INTENTIONAL MISTAKE` at the line concerned:
 * - `office-visit-established-low`: 99214 coded, the note supports 99213 (`wrong-level`);
 * - `knee-injection-with-visit`: 99213 without modifier 25 beside 20610 (`missing-modifier`);
 * - `lab-panel-independent-lab`: 36415 with no diagnosis pointer (`diagnosis-pointer`).
 *
 * Codes are stored without dots. Descriptions of the codes live in `demo-catalog.ts`.
 */
export interface DemoEncounter {
  /** Stable slug, used to seed once and to find the chart in tests. */
  key: string;
  /** A fictional person; `dateOfBirth` is `YYYY-MM-DD`. */
  patient: { mrn: string; name: string; dateOfBirth: string };
  /** `YYYY-MM-DD`. */
  dateOfService: string;
  /** A fictional clinician or facility; the NPI is ten digits or null. */
  provider: { name: string; npi: string | null };
  /** A code from `PLACES_OF_SERVICE` in `@countersign/shared`. */
  placeOfService: string;
  /** The clinical note or report, plain text. */
  clinicalNote: string;
  /** ICD-10-CM codes without dots, billable leaf codes, in claim order (A, B, C...). */
  diagnoses: string[];
  /** What the demo coder has entered so far. */
  lines: ClaimLineInput[];
  status: EncounterStatus;
  /** Which demo user the chart is assigned to. */
  assign: { coder: 'coder' | null; reviewer: 'reviewer' | null };
}

/** Joins the lines of a note with newlines. */
function note(...lines: string[]): string {
  return lines.join('\n');
}

const ORTHOPAEDICS = { name: 'Samuel Ridgeway, MD', npi: '1748203654' };
const FAMILY_MEDICINE = { name: 'Anita Karlsson, MD', npi: '1582930479' };
const SPORTS_MEDICINE = { name: 'Jordan Pell, DO', npi: '1396047288' };
const DERMATOLOGY = { name: 'Mei-Lin Harrow, MD', npi: '1927504633' };
const RADIOLOGY = { name: 'Victor Ansel, MD', npi: '1204839561' };
const LABORATORY = { name: 'Brightwater Clinical Laboratory', npi: '1660392816' };

/** The demo's clinicians and facilities, for the reviewed history (demo-quality.ts). */
export const DEMO_PROVIDERS = [
  ORTHOPAEDICS,
  FAMILY_MEDICINE,
  SPORTS_MEDICINE,
  DERMATOLOGY,
  RADIOLOGY,
  LABORATORY,
];

/** The same patient is seen as a new patient, then operated on five weeks later. */
const KNEE_PATIENT = { mrn: 'CS-100231', name: 'Gregory Halvorsen', dateOfBirth: '1971-03-08' };

export const DEMO_ENCOUNTERS: readonly DemoEncounter[] = [
  {
    // New patient, low medical decision making: 99203, plus the knee X-ray read in the office.
    key: 'office-visit-new-patient-knee-pain',
    patient: KNEE_PATIENT,
    dateOfService: '2025-10-14',
    provider: ORTHOPAEDICS,
    placeOfService: '11',
    clinicalNote: note(
      'ORTHOPAEDIC CLINIC - NEW PATIENT VISIT',
      '',
      'SUBJECTIVE',
      'Chief complaint: right knee pain for three weeks.',
      'HPI: 54-year-old man, new to this practice, twisted his right knee on 09/22/2025 stepping off a ladder at home. Felt a pop on the inner side of the knee; it was swollen the next day. Pain 5/10 at the medial knee, worse with pivoting, stairs and deep squatting. Intermittent catching, no true locking, no giving way. Seen at an urgent care on 09/24/2025; I reviewed that note: no imaging, advised ice and ibuprofen. Ibuprofen helps partially.',
      'PMH: none significant. No prior knee injury or surgery. Medications: ibuprofen 400 mg as needed. Allergies: none known. Social: warehouse supervisor, never smoker, plays recreational soccer.',
      'ROS: no fever, calf pain, numbness or tingling. Otherwise negative except as in HPI.',
      '',
      'OBJECTIVE',
      'BP 128/80, HR 72, BMI 27.4.',
      'Right knee: small effusion, no warmth or erythema. Tender along the medial joint line. Range of motion 0-120 degrees with pain at end flexion (left 0-135). McMurray positive medially with a painful click. Lachman 1A with firm end point, anterior and posterior drawer negative, stable to varus and valgus stress at 0 and 30 degrees. Normal patellar tracking. Distal pulses and sensation intact. Left knee normal.',
      'X-ray right knee, 3 views (AP, lateral, sunrise), taken in the office today, my interpretation: no fracture, joint spaces preserved, small marginal osteophyte of the medial femoral condyle, no loose body, small suprapatellar effusion.',
      '',
      'ASSESSMENT',
      '1. Right knee pain with effusion after a twisting injury. Mechanical symptoms and a positive McMurray test suggest a medial meniscus tear, not yet confirmed.',
      '2. Radiographs without fracture or significant arthritis.',
      '',
      'PLAN',
      '- MRI right knee without contrast ordered to evaluate the menisci.',
      '- Over-the-counter ibuprofen 400 mg up to three times daily with food; ice; no soccer or deep squatting for now.',
      '- Home quadriceps and straight-leg-raise exercises, handout given.',
      '- Return after the MRI to review results and options, including arthroscopy if a tear is confirmed and symptoms persist.',
    ),
    diagnoses: ['M25561', 'M25461'],
    lines: [
      { code: '99203', modifiers: [], units: 1, pointers: ['A', 'B'] },
      { code: '73562', modifiers: ['RT'], units: 1, pointers: ['A', 'B'] },
    ],
    status: 'draft',
    assign: { coder: 'coder', reviewer: null },
  },
  {
    // One stable chronic illness, prescription refill, 22 minutes: the note supports 99213.
    key: 'office-visit-established-low',
    patient: { mrn: 'CS-100478', name: 'Denise Carrow', dateOfBirth: '1978-07-22' },
    dateOfService: '2026-01-13',
    provider: FAMILY_MEDICINE,
    placeOfService: '11',
    clinicalNote: note(
      'FAMILY MEDICINE - ESTABLISHED PATIENT FOLLOW-UP',
      '',
      'S: 47-year-old woman returns for a three-month follow-up of essential hypertension, treated with lisinopril 20 mg daily since 2023. She brought her home blood pressure log: average 126/79 over the last four weeks, no reading above 135/85. No headache, chest pain, shortness of breath, palpitations, ankle swelling or cough. Takes the medicine every morning, no side effects. Has cut back on salt and walks 30 minutes four days a week. No other concerns today.',
      'Medications: lisinopril 20 mg daily. Allergies: sulfa (rash).',
      '',
      'O: BP 124/78, repeat 122/76. HR 68. Weight 72.4 kg, BMI 26.1.',
      'General: well appearing, no distress. Heart: regular rate and rhythm, no murmur. Lungs: clear bilaterally. Extremities: no edema.',
      'Basic metabolic panel of 12/18/2025 reviewed: creatinine 0.8 mg/dL, potassium 4.3 mmol/L, sodium 139 mmol/L, all within normal limits.',
      '',
      'A/P:',
      '1. Essential hypertension, well controlled on current therapy, at goal.',
      '   - Continue lisinopril 20 mg daily; 90-day supply with one refill sent to her pharmacy.',
      '   - Continue home monitoring and lifestyle measures; call if home readings stay above 135/85.',
      '   - Basic metabolic panel yearly, next due 12/2026.',
      '   - Follow-up in six months, sooner as needed.',
      '',
      'Total time on the date of the encounter: 22 minutes, including review of the home log and labs, examination, counseling and documentation.',
    ),
    diagnoses: ['I10'],
    lines: [
      // INTENTIONAL MISTAKE (wrong-level): one stable chronic illness, minimal data and
      // prescription drug management give low MDM, and 22 minutes also points to 99213.
      { code: '99214', modifiers: [], units: 1, pointers: ['A'] },
    ],
    status: 'in_review',
    assign: { coder: 'coder', reviewer: 'reviewer' },
  },
  {
    // Chronic illness with progression plus two stable ones and a new prescription: 99214.
    key: 'office-visit-established-moderate',
    patient: { mrn: 'CS-100592', name: 'Raymond Tuttle', dateOfBirth: '1959-11-02' },
    dateOfService: '2026-02-10',
    provider: FAMILY_MEDICINE,
    placeOfService: '11',
    clinicalNote: note(
      'FAMILY MEDICINE - ESTABLISHED PATIENT FOLLOW-UP',
      '',
      'S: 66-year-old man with type 2 diabetes (diagnosed 2019), hypertension and hyperlipidemia, here for a three-month follow-up. For a month he has noticed more thirst and gets up twice a night to urinate. Admits to dietary lapses over the holidays. Home fasting glucose 160-210 mg/dL. No hypoglycemia. Takes metformin 1000 mg twice daily, lisinopril 10 mg daily and atorvastatin 40 mg daily as prescribed, no side effects. No chest pain, vision change, foot numbness or foot sores.',
      '',
      'O: BP 132/82, HR 76, weight 98.2 kg, BMI 31.4.',
      'General: no distress. Heart: regular, no murmur. Lungs: clear. Feet: skin intact, no ulcers or calluses, monofilament sensation intact at all sites bilaterally, dorsalis pedis pulses 2+.',
      'Point-of-care hemoglobin A1c in the office today (CLIA-waived analyzer): 8.6% (7.4% in 11/2025).',
      'Lipid panel 11/2025: LDL cholesterol 88 mg/dL. Creatinine 11/2025: 0.9 mg/dL, eGFR above 60.',
      '',
      'A/P:',
      '1. Type 2 diabetes mellitus with hyperglycemia, worsening and not at goal.',
      '   - Start empagliflozin 10 mg daily; continue metformin 1000 mg twice daily.',
      '   - Discussed genital yeast infection risk, hydration and holding the medicine on sick days.',
      '   - Referral to the diabetes educator and dietitian.',
      '   - Repeat A1c in three months; annual eye exam is due, referral placed.',
      '2. Essential hypertension, slightly above goal today; expect a small reduction with empagliflozin. Continue lisinopril 10 mg, recheck at next visit.',
      '3. Hyperlipidemia, stable at LDL 88 on atorvastatin 40 mg. Continue.',
      '',
      'Total time on the date of the encounter: 32 minutes.',
    ),
    diagnoses: ['E1165', 'I10', 'E785', 'Z7984'],
    lines: [
      { code: '99214', modifiers: [], units: 1, pointers: ['A', 'B', 'C', 'D'] },
      { code: '83036', modifiers: ['QW'], units: 1, pointers: ['A'] },
    ],
    status: 'draft',
    assign: { coder: 'coder', reviewer: null },
  },
  {
    // High MDM (severe exacerbation, decision about hospitalization, intensive monitoring): 99215.
    // Not coded yet: the coder has not opened the chart.
    key: 'office-visit-established-high',
    patient: { mrn: 'CS-100655', name: 'Loretta Vandermeer', dateOfBirth: '1957-05-17' },
    dateOfService: '2026-03-04',
    provider: FAMILY_MEDICINE,
    placeOfService: '11',
    clinicalNote: note(
      'FAMILY MEDICINE - SAME-DAY VISIT',
      '',
      'S: 68-year-old woman with heart failure with reduced ejection fraction (EF 30% on echo 06/2025), hypertension, chronic kidney disease stage 3b and insulin-treated type 2 diabetes, seen the same day for five days of worsening breathlessness on exertion, now after one flight of stairs, two-pillow orthopnea and leg swelling. Home scale weight up 3.6 kg in ten days (82.1 to 85.7 kg) after salty food at a family event. No chest pain, palpitations or fainting. Adherent to furosemide 40 mg daily, carvedilol 12.5 mg twice daily, sacubitril-valsartan 49/51 mg twice daily, spironolactone 12.5 mg daily, insulin glargine 18 units at bedtime and linagliptin 5 mg daily.',
      'I reviewed the hospital discharge summary from her 08/2025 admission for decompensated heart failure and the cardiology clinic note of 01/2026.',
      '',
      'O: BP 148/88, HR 92 regular, RR 20, SpO2 93% on room air (baseline 96%), temperature 36.8 C, weight 85.7 kg.',
      'Jugular venous pressure about 10 cm. Bibasilar crackles to the lower third of both lungs. Heart regular, no murmur. Pitting edema 2+ to mid-shin bilaterally.',
      'Basic metabolic panel of 02/18/2026 reviewed: creatinine 1.6 mg/dL (eGFR 35), potassium 4.8 mmol/L. A1c 7.2% in 01/2026.',
      '',
      'A/P:',
      '1. Acute on chronic systolic heart failure, decompensated, NYHA class III, with hypertensive heart and chronic kidney disease.',
      '   - Discussed hospital admission with the patient and her daughter. She declines admission and prefers outpatient treatment; she understands the risks and has capacity.',
      '   - Case discussed by phone with her cardiologist today; agreed plan: furosemide 80 mg twice daily for three days, then 80 mg daily; hold spironolactone until labs return.',
      '   - Basic metabolic panel and BNP ordered today; repeat basic metabolic panel in 48 hours to monitor potassium and creatinine on the higher diuretic dose.',
      '   - Daily weights, 2 g sodium diet, fluid limit 1.5 L a day. Go to the emergency department for breathlessness at rest, chest pain or further weight gain.',
      '   - Nurse phone check tomorrow; revisit in three days.',
      '2. Chronic kidney disease stage 3b: renal function monitored as above during diuresis.',
      '3. Type 2 diabetes with diabetic kidney disease, on insulin: continue glargine 18 units; hypoglycemia precautions while her appetite is poor.',
      '',
      'Total time on the date of the encounter: 48 minutes, including the call with cardiology.',
    ),
    diagnoses: ['I130', 'I5023', 'N1832', 'E1122', 'Z794'],
    lines: [],
    status: 'draft',
    assign: { coder: null, reviewer: null },
  },
  {
    // Operative report at an ambulatory surgical center; the surgeon's claim: 29881-RT.
    // Chondroplasty is part of 29881, so no 29877.
    key: 'knee-arthroscopy-partial-medial-meniscectomy',
    patient: KNEE_PATIENT,
    dateOfService: '2025-11-20',
    provider: ORTHOPAEDICS,
    placeOfService: '24',
    clinicalNote: note(
      'OPERATIVE REPORT',
      'Facility: Lakeshore Surgery Center. Surgeon: Samuel Ridgeway, MD. Assistant: none. Anesthesia: general, laryngeal mask airway.',
      '',
      'Preoperative diagnosis: right knee medial meniscus tear.',
      'Postoperative diagnosis: complex tear of the posterior horn of the right medial meniscus; grade 2 chondromalacia of the medial femoral condyle.',
      'Procedure: right knee arthroscopy with partial medial meniscectomy and chondroplasty of the medial femoral condyle.',
      '',
      'Indications: 54-year-old man with medial right knee pain and catching since a twisting injury on 09/22/2025. MRI of 10/28/2025 showed a complex tear of the posterior horn of the medial meniscus. Symptoms persisted despite six weeks of anti-inflammatories, activity change and home exercise. Risks, benefits and alternatives were discussed and consent was signed. The right knee was marked in the preoperative area.',
      '',
      'Description: The patient was brought to the operating room and placed supine. After induction of general anesthesia, cefazolin 2 g IV was given. Examination under anesthesia: full motion, stable Lachman, stable to varus and valgus stress. A thigh tourniquet was applied but not inflated. The right leg was prepped and draped in sterile fashion and a time-out was performed.',
      'Standard anterolateral and anteromedial portals were made. Suprapatellar pouch: mild synovitis, no loose bodies. Patellofemoral joint: grade 1 softening of the patella, not treated. Medial compartment: complex tear of the posterior horn with horizontal cleavage and a radial limb, unstable to probing; grade 2 fissuring of the medial femoral condyle, about 1.5 x 1.0 cm, with unstable flaps. Notch: ACL and PCL intact. Lateral compartment: meniscus and cartilage intact.',
      'The unstable torn posterior horn was resected with basket forceps and a 4.0 mm shaver back to a stable, smooth rim, keeping about 60% of the meniscal width; the remnant was stable to probing. The loose chondral flaps of the medial femoral condyle were debrided with the shaver to a stable margin. The joint was irrigated and the instruments removed. Portals were closed with 3-0 nylon and 20 mL of 0.25% bupivacaine was injected into the joint. Sterile dressing and elastic wrap were applied.',
      '',
      'Estimated blood loss: minimal. Specimens: none. Drains: none. Complications: none. The patient was taken to recovery in stable condition.',
      'Plan: weight bearing as tolerated with crutches for comfort, start physical therapy in one week, clinic visit in 10-14 days for suture removal.',
    ),
    diagnoses: ['S83231A', 'M94261'],
    lines: [{ code: '29881', modifiers: ['RT'], units: 1, pointers: ['A', 'B'] }],
    status: 'submitted',
    assign: { coder: 'coder', reviewer: 'reviewer' },
  },
  {
    // Benign lesion, excised diameter 1.2 + 2 x 0.3 = 1.8 cm: 11402; layered closure 3.4 cm: 12032.
    key: 'skin-lesion-excision-trunk',
    patient: { mrn: 'CS-100719', name: 'Tobias Lindqvist', dateOfBirth: '1989-09-30' },
    dateOfService: '2026-04-15',
    provider: DERMATOLOGY,
    placeOfService: '11',
    clinicalNote: note(
      'DERMATOLOGY - PROCEDURE NOTE: EXCISION, LEFT UPPER BACK',
      '',
      'Indication: 36-year-old man with a pigmented papule on the left upper back, present for years, now repeatedly irritated and bleeding under his backpack strap. Seen 03/2026: 1.2 x 1.0 cm, symmetric, uniform brown, benign reticular pattern on dermoscopy. He asked for removal. Risks (scar, infection, bleeding, recurrence) and alternatives were discussed and written consent obtained.',
      '',
      "Procedure: The lesion was measured at 1.2 cm in greatest diameter and marked with 3 mm margins, giving an excised diameter of 1.8 cm. An ellipse 3.4 cm long was drawn along the relaxed skin tension lines. The area was prepped with chlorhexidine and anesthetized with 4 mL of 1% lidocaine with epinephrine. The ellipse was excised to the subcutaneous fat and the specimen was sent to pathology with a suture at 12 o'clock. Hemostasis with electrocautery.",
      'Because of wound tension on the back, a layered closure was done: the deep dermis was closed with four buried interrupted 4-0 polyglactin sutures and the epidermis with 5-0 nylon simple interrupted sutures. Final repair length 3.4 cm. Petrolatum and a pressure dressing were applied.',
      'Estimated blood loss under 5 mL. No complications. Tolerated well.',
      '',
      'Aftercare: keep dry 24 hours, then gentle washing and petrolatum daily. No heavy lifting or upper-body workouts for two weeks. Suture removal in 14 days. Call for fever, spreading redness or bleeding that does not stop with pressure.',
      '',
      'Pathology addendum, 04/21/2026: compound melanocytic nevus with no cytologic atypia; margins clear. Patient notified by phone.',
    ),
    diagnoses: ['D225'],
    lines: [
      { code: '11402', modifiers: [], units: 1, pointers: ['A'] },
      { code: '12032', modifiers: [], units: 1, pointers: ['A'] },
    ],
    status: 'draft',
    assign: { coder: 'coder', reviewer: null },
  },
  {
    // Knee injection plus a separate problem (new back strain) evaluated the same day.
    key: 'knee-injection-with-visit',
    patient: { mrn: 'CS-100803', name: 'Harriet Bellamy', dateOfBirth: '1962-12-05' },
    dateOfService: '2026-05-19',
    provider: SPORTS_MEDICINE,
    placeOfService: '11',
    clinicalNote: note(
      'SPORTS MEDICINE - ESTABLISHED PATIENT VISIT AND PROCEDURE',
      '',
      'S: 63-year-old woman with known primary osteoarthritis of the right knee (moderate medial joint space narrowing on 2024 films). Flare of right knee pain for three weeks, 6/10, worse on stairs, morning stiffness about 20 minutes, no locking. Acetaminophen, topical diclofenac and a 2025 physical therapy course gave little lasting benefit. Her last steroid injection, 08/2025, gave about four months of relief; she asks to repeat it.',
      'New problem: left low back pain for six days since lifting a heavy planter. Does not radiate. No numbness, weakness, bowel or bladder change, saddle numbness, fever, weight loss or history of cancer. A heating pad helps a little.',
      '',
      'O: BP 134/80, HR 70. Right knee: mild effusion, medial joint line tenderness, crepitus, motion 5-115 degrees, ligaments stable. Lumbar spine: left paraspinal tenderness and spasm, no midline tenderness, flexion limited by pain to 60 degrees, straight leg raise negative bilaterally, strength 5/5, reflexes 2+ and symmetric, sensation intact in both legs.',
      '',
      'Procedure: right knee intra-articular injection. Verbal and written consent after discussion of infection, post-injection flare, transient rise in blood sugar and skin lightening. Time-out performed. Supine, knee extended; skin prepped with chlorhexidine, ethyl chloride spray. Using landmarks (no imaging guidance), a 22-gauge 1.5-inch needle was placed by a superolateral approach; no fluid was aspirated. Injected triamcinolone acetonide 40 mg (1 mL of 40 mg/mL) mixed with 4 mL of 1% lidocaine without epinephrine. Bandage applied. No complications; tolerated well.',
      '',
      'A/P:',
      '1. Primary osteoarthritis, right knee, flare: injected as above. Ice and relative rest for 48 hours; call for redness, warmth or fever. No repeat injection within three months. Orthopaedic referral to discuss other options if relief is short.',
      '2. Acute strain of the lumbar muscles, new, no red flags. Over-the-counter naproxen 220 mg, two tablets then one every 8-12 hours with food for up to 10 days; heat; stay active, avoid bed rest; home stretching handout. Return for leg weakness or numbness, bladder or bowel change, or no improvement in four weeks.',
    ),
    diagnoses: ['M1711', 'S39012A'],
    lines: [
      // INTENTIONAL MISTAKE (missing-modifier): the visit for the back strain is separately
      // identifiable from the injection (NCCI pair 20610/99213, indicator 1), so 99213 needs 25.
      { code: '99213', modifiers: [], units: 1, pointers: ['B'] },
      { code: '20610', modifiers: ['RT'], units: 1, pointers: ['A'] },
      { code: 'J3301', modifiers: [], units: 4, pointers: ['A'] },
    ],
    status: 'submitted',
    assign: { coder: 'coder', reviewer: 'reviewer' },
  },
  {
    // Tests run by an independent laboratory on a requisition from the patient's physician.
    key: 'lab-panel-independent-lab',
    patient: { mrn: 'CS-100866', name: 'Marisol Quintero', dateOfBirth: '1970-04-11' },
    dateOfService: '2026-06-09',
    provider: LABORATORY,
    placeOfService: '81',
    clinicalNote: note(
      'LABORATORY REQUISITION AND SPECIMEN COLLECTION RECORD',
      '',
      'Ordering provider: Anita Karlsson, MD, Riverside Orthopedics & Family Medicine.',
      'Tests ordered: comprehensive metabolic panel; complete blood count with automated differential; hemoglobin A1c; lipid panel.',
      'Diagnoses on the requisition: prediabetes (R73.03); essential hypertension (I10); hyperlipidemia (E78.5); long-term drug therapy with lisinopril and atorvastatin (Z79.899); fatigue (R53.83).',
      '',
      'Collection: patient identity confirmed with two identifiers. Fasting for 12 hours confirmed. Venipuncture of the left antecubital vein, single stick, at 07:42 by the laboratory phlebotomist. Tubes: one lavender top (EDTA) for the blood count and A1c, one gold top (serum separator) for the metabolic and lipid panels. Pressure applied, no hematoma. Patient tolerated the draw well.',
      '',
      'Results summary:',
      '- Comprehensive metabolic panel: glucose 108 mg/dL (high), sodium 140, potassium 4.1, chloride 103, CO2 25, BUN 14, creatinine 0.9 mg/dL, eGFR above 90, calcium 9.4, total protein 7.0, albumin 4.2, total bilirubin 0.6, alkaline phosphatase 78, ALT 22, AST 19.',
      '- Complete blood count: WBC 6.1, hemoglobin 12.6 g/dL, hematocrit 38.2%, MCV 88 fL, platelets 245; automated differential within reference ranges.',
      '- Hemoglobin A1c: 6.1% (prediabetes range 5.7-6.4%).',
      '- Lipid panel: total cholesterol 188 mg/dL, LDL cholesterol 104 (calculated), HDL 52, triglycerides 160 (borderline high).',
      '',
      'Results released electronically to the ordering provider on 06/09/2026 at 14:10. Reviewed and released by the laboratory director.',
    ),
    diagnoses: ['R7303', 'I10', 'E785', 'Z79899', 'R5383'],
    lines: [
      // INTENTIONAL MISTAKE (diagnosis-pointer): the venipuncture line has no pointer.
      { code: '36415', modifiers: [], units: 1, pointers: [] },
      { code: '80053', modifiers: [], units: 1, pointers: ['B', 'D'] },
      { code: '85025', modifiers: [], units: 1, pointers: ['E'] },
      { code: '83036', modifiers: [], units: 1, pointers: ['A'] },
      { code: '80061', modifiers: [], units: 1, pointers: ['C', 'D'] },
    ],
    status: 'submitted',
    assign: { coder: 'coder', reviewer: null },
  },
  {
    // Radiologist's reading at an outpatient hospital: professional component, 71046-26.
    // "Compatible with pneumonia" is uncertain, so the finding and the symptoms are coded.
    key: 'chest-xray-two-views',
    patient: { mrn: 'CS-100912', name: 'Walter Brennick', dateOfBirth: '1949-08-27' },
    dateOfService: '2026-01-27',
    provider: RADIOLOGY,
    placeOfService: '22',
    clinicalNote: note(
      'RADIOLOGY REPORT',
      '',
      'Examination: XR chest, 2 views (PA and lateral).',
      'Date: 01/27/2026 10:15. Ordering clinician: walk-in clinic, Riverside General Hospital.',
      '',
      'Clinical history: 76-year-old man with cough for five days, fever to 38.4 C and shortness of breath on exertion. Former smoker.',
      'Comparison: chest radiograph of 03/14/2024.',
      'Technique: frontal (PA) and left lateral views of the chest, upright, good inspiration.',
      '',
      'Findings:',
      'Lines and tubes: none.',
      'Lungs: new patchy airspace opacity in the right lower lobe, best seen on the lateral view over the posterior costophrenic region. The remaining lungs are clear. No pneumothorax.',
      'Pleura: trace blunting of the right costophrenic angle, possibly a small effusion. Left costophrenic angle sharp.',
      'Heart and mediastinum: heart size normal. Tortuous, calcified thoracic aorta, unchanged from 2024. Hila normal.',
      'Bones and soft tissues: degenerative changes of the thoracic spine. No acute fracture.',
      '',
      'Impression:',
      '1. New patchy right lower lobe opacity, compatible with pneumonia in the appropriate clinical setting; atelectasis less likely.',
      '2. Possible trace right pleural effusion.',
      '3. Recommend a follow-up radiograph 6-8 weeks after treatment to document resolution, given age and smoking history.',
      '',
      'Findings telephoned to the ordering clinician at 10:42 and read back.',
      'Electronically signed: Victor Ansel, MD, 01/27/2026 10:38.',
    ),
    diagnoses: ['R918', 'R051', 'R509', 'R0602'],
    lines: [{ code: '71046', modifiers: ['26'], units: 1, pointers: ['A', 'B', 'C', 'D'] }],
    status: 'draft',
    assign: { coder: null, reviewer: null },
  },
  {
    // Medicare annual wellness visit, subsequent (G0439), with a high-dose flu vaccine (90662,
    // valid for the trivalent 2025-2026 season) and its Medicare administration code G0008.
    key: 'annual-wellness-visit-flu-vaccine',
    patient: { mrn: 'CS-100957', name: 'Eleanor Pruitt', dateOfBirth: '1951-02-14' },
    dateOfService: '2025-10-21',
    provider: FAMILY_MEDICINE,
    placeOfService: '11',
    clinicalNote: note(
      'MEDICARE ANNUAL WELLNESS VISIT - SUBSEQUENT',
      '',
      '74-year-old woman for her yearly wellness visit; last wellness visit 10/2024.',
      'Health risk assessment: completed by the patient in the waiting room and reviewed with her. Self-rated health good. No tobacco; one glass of wine a week. Walks daily. Sleeps well. Lives alone, drives in daytime, always wears a seatbelt, has working smoke detectors.',
      'Medical and family history updated: hypothyroidism and osteopenia, both stable. Current medications reviewed: levothyroxine 75 mcg daily, calcium with vitamin D. Other providers and suppliers listed: gynecology, optometry, her pharmacy.',
      '',
      'Measurements: height 162 cm, weight 61.2 kg, BMI 23.3, BP 126/74. Vision and hearing: no concerns, whisper test normal.',
      'Cognitive assessment: Mini-Cog 5/5, no concern from patient or family.',
      'Depression screen: PHQ-2 score 0.',
      'Function and safety: independent in all daily and instrumental activities. No falls in the past year. Timed up-and-go 9 seconds.',
      '',
      'Screening schedule for the next 5-10 years, given to her in writing:',
      '- Screening mammogram due 11/2025, order placed.',
      '- Bone density scan due 2026 (last 2023, osteopenia).',
      '- Colonoscopy 2019 normal; discussed that routine screening may stop at 75.',
      '- Immunizations: influenza vaccine today; recombinant zoster series complete; pneumococcal conjugate vaccine 2023; COVID-19 vaccine through her pharmacy.',
      'Advance care planning: she has a health care power of attorney on file; no changes today.',
      'Personalized prevention plan printed and reviewed. No acute or chronic problems were evaluated beyond the wellness visit today.',
      '',
      'Immunization: influenza vaccine, high dose, preservative free (Fluzone High-Dose, 2025-2026 formula), 0.5 mL IM, right deltoid. VIS given, no contraindications, observed 15 minutes, no reaction. Lot and expiry recorded in the immunization record.',
    ),
    diagnoses: ['Z0000', 'Z23'],
    lines: [
      { code: 'G0439', modifiers: [], units: 1, pointers: ['A'] },
      { code: '90662', modifiers: [], units: 1, pointers: ['B'] },
      { code: 'G0008', modifiers: [], units: 1, pointers: ['B'] },
    ],
    status: 'draft',
    assign: { coder: 'coder', reviewer: null },
  },
];
