import type { CodeSystem } from '@countersign/shared';

/**
 * A small code catalogue seeded with the demo encounters on first start, so that lookups and search
 * work before an organisation imports its licensed code files. It holds every code used in
 * `demo-encounters.ts` plus common neighbours.
 *
 * - CPT and CPT-modifier descriptions are our own plain-English summaries. No AMA CPT descriptor
 *   text is reproduced here; the licensed CPT file is imported at run time.
 * - ICD-10-CM (FY2026) and HCPCS Level II (2026) descriptions are the official public-domain text
 *   from CDC/NCHS and CMS. HCPCS modifier descriptions are our own short summaries.
 * - J1030 (methylprednisolone acetate 40 mg) ended on 2024-03-31; its successor J1010 (per 1 mg)
 *   is listed instead.
 */
export interface DemoCatalogEntry {
  system: CodeSystem;
  /** Stored without dots (`E119`, not `E11.9`). */
  code: string;
  shortDescription: string;
  longDescription: string;
  /** False only for ICD-10-CM headers; every entry here may go on a claim. */
  billable: boolean;
}

export const DEMO_CATALOG: readonly DemoCatalogEntry[] = [
  // CPT: own summaries, not AMA text.
  // Office/outpatient visits
  {
    system: 'CPT',
    code: '99202',
    shortDescription: 'Office visit, new patient, straightforward MDM',
    longDescription:
      'New-patient office or outpatient visit with straightforward medical decision making, or at least 15 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99203',
    shortDescription: 'Office visit, new patient, low MDM',
    longDescription:
      'New-patient office or outpatient visit with low-complexity medical decision making, or at least 30 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99204',
    shortDescription: 'Office visit, new patient, moderate MDM',
    longDescription:
      'New-patient office or outpatient visit with moderate-complexity medical decision making, or at least 45 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99205',
    shortDescription: 'Office visit, new patient, high MDM',
    longDescription:
      'New-patient office or outpatient visit with high-complexity medical decision making, or at least 60 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99211',
    shortDescription: 'Office visit, established patient, minimal service',
    longDescription:
      'Short established-patient office visit, usually by clinical staff, that may not need a physician or other qualified clinician present.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99212',
    shortDescription: 'Office visit, established patient, straightforward MDM',
    longDescription:
      'Established-patient office or outpatient visit with straightforward medical decision making, or at least 10 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99213',
    shortDescription: 'Office visit, established patient, low MDM',
    longDescription:
      'Established-patient office or outpatient visit with low-complexity medical decision making, or at least 20 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99214',
    shortDescription: 'Office visit, established patient, moderate MDM',
    longDescription:
      'Established-patient office or outpatient visit with moderate-complexity medical decision making, or at least 30 minutes of total time that day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99215',
    shortDescription: 'Office visit, established patient, high MDM',
    longDescription:
      'Established-patient office or outpatient visit with high-complexity medical decision making, or at least 40 minutes of total time that day.',
    billable: true,
  },
  // Preventive medicine and care planning
  {
    system: 'CPT',
    code: '99395',
    shortDescription: 'Preventive visit, established patient, age 18-39',
    longDescription:
      'Periodic check-up of an established adult patient aged 18 to 39, with history, exam, counseling and ordering of age-appropriate screening.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99396',
    shortDescription: 'Preventive visit, established patient, age 40-64',
    longDescription:
      'Periodic check-up of an established adult patient aged 40 to 64, with history, exam, counseling and ordering of age-appropriate screening.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99397',
    shortDescription: 'Preventive visit, established patient, age 65+',
    longDescription:
      'Periodic check-up of an established patient aged 65 or older, with history, exam, counseling and ordering of age-appropriate screening.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '99497',
    shortDescription: 'Advance care planning, first 30 minutes',
    longDescription:
      'Face-to-face discussion of advance directives and end-of-life wishes with the patient or family, first 30 minutes.',
    billable: true,
  },
  // Musculoskeletal surgery and joint injections
  {
    system: 'CPT',
    code: '27447',
    shortDescription: 'Total knee replacement (arthroplasty)',
    longDescription:
      'Replacement of both sides of the knee joint with a prosthesis: total knee arthroplasty, with or without resurfacing of the kneecap.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '27130',
    shortDescription: 'Total hip replacement (arthroplasty)',
    longDescription:
      'Replacement of the hip joint, both the socket and the head of the femur, with a prosthesis: total hip arthroplasty.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '29877',
    shortDescription: 'Knee arthroscopy, cartilage shaving (chondroplasty)',
    longDescription:
      'Arthroscopic smoothing of damaged knee cartilage when no meniscus is removed in the same knee.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '29880',
    shortDescription: 'Knee arthroscopy, partial removal of both menisci',
    longDescription:
      'Arthroscopic knee surgery removing torn tissue from both the medial and the lateral meniscus, cartilage shaving included.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '29881',
    shortDescription: 'Knee arthroscopy, partial removal of one meniscus',
    longDescription:
      'Arthroscopic knee surgery removing torn tissue from either the medial or the lateral meniscus, cartilage shaving included.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '29882',
    shortDescription: 'Knee arthroscopy, repair of one meniscus',
    longDescription:
      'Arthroscopic knee surgery that sutures a torn medial or lateral meniscus back together.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '20600',
    shortDescription: 'Small joint injection or aspiration, no ultrasound',
    longDescription:
      'Needle injection into or fluid drawn from a small joint or bursa, such as a finger or toe joint, without ultrasound guidance.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '20605',
    shortDescription: 'Mid-size joint injection or aspiration, no ultrasound',
    longDescription:
      'Needle injection into or fluid drawn from an intermediate joint or bursa, such as the wrist, elbow or ankle, without ultrasound guidance.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '20610',
    shortDescription: 'Large joint injection or aspiration, no ultrasound',
    longDescription:
      'Needle injection into or fluid drawn from a major joint or bursa, such as the knee, shoulder or hip, without ultrasound guidance.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '20611',
    shortDescription: 'Large joint injection or aspiration, with ultrasound',
    longDescription:
      'Needle injection into or fluid drawn from a major joint or bursa under ultrasound guidance, with a recorded image and report.',
    billable: true,
  },
  // Skin excision and repair
  {
    system: 'CPT',
    code: '11400',
    shortDescription: 'Benign skin lesion removal, trunk/limbs, to 0.5 cm',
    longDescription:
      'Full-thickness excision of a benign skin lesion on the trunk, arm or leg, excised diameter 0.5 cm or less.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '11401',
    shortDescription: 'Benign skin lesion removal, trunk/limbs, 0.6-1.0 cm',
    longDescription:
      'Full-thickness excision of a benign skin lesion on the trunk, arm or leg, excised diameter 0.6 to 1.0 cm.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '11402',
    shortDescription: 'Benign skin lesion removal, trunk/limbs, 1.1-2.0 cm',
    longDescription:
      'Full-thickness excision of a benign skin lesion on the trunk, arm or leg, excised diameter 1.1 to 2.0 cm.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '11403',
    shortDescription: 'Benign skin lesion removal, trunk/limbs, 2.1-3.0 cm',
    longDescription:
      'Full-thickness excision of a benign skin lesion on the trunk, arm or leg, excised diameter 2.1 to 3.0 cm.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '12001',
    shortDescription: 'Simple wound closure, scalp/neck/trunk/limbs, to 2.5 cm',
    longDescription:
      'Single-layer closure of a superficial wound of the scalp, neck, trunk or limbs, total length 2.5 cm or less.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '12002',
    shortDescription: 'Simple wound closure, scalp/neck/trunk/limbs, 2.6-7.5 cm',
    longDescription:
      'Single-layer closure of a superficial wound of the scalp, neck, trunk or limbs, total length 2.6 to 7.5 cm.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '12031',
    shortDescription: 'Layered wound closure, scalp/trunk/limbs, to 2.5 cm',
    longDescription:
      'Closure in layers (deep dermis and skin) of a wound of the scalp, armpit, trunk or limbs, total length 2.5 cm or less.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '12032',
    shortDescription: 'Layered wound closure, scalp/trunk/limbs, 2.6-7.5 cm',
    longDescription:
      'Closure in layers (deep dermis and skin) of a wound of the scalp, armpit, trunk or limbs, total length 2.6 to 7.5 cm.',
    billable: true,
  },
  // Laboratory
  {
    system: 'CPT',
    code: '36415',
    shortDescription: 'Blood draw from a vein',
    longDescription: 'Collection of a blood sample from a vein by needle puncture.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '80048',
    shortDescription: 'Basic metabolic panel',
    longDescription:
      'Blood chemistry group of eight tests: glucose, calcium, sodium, potassium, chloride, carbon dioxide, urea nitrogen and creatinine.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '80053',
    shortDescription: 'Comprehensive metabolic panel',
    longDescription:
      'Blood chemistry group of fourteen tests covering electrolytes, kidney function, liver enzymes, proteins, calcium and glucose.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '80061',
    shortDescription: 'Lipid panel',
    longDescription:
      'Blood test group measuring total cholesterol, HDL cholesterol and triglycerides.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '83036',
    shortDescription: 'Hemoglobin A1c',
    longDescription:
      'Blood test of glycated hemoglobin, reflecting average blood sugar over the past two to three months.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '84443',
    shortDescription: 'Thyroid stimulating hormone (TSH)',
    longDescription:
      'Blood test measuring thyroid stimulating hormone to screen or monitor thyroid function.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '85025',
    shortDescription: 'Complete blood count with automated differential',
    longDescription:
      'Automated count of red cells, white cells and platelets with hemoglobin, hematocrit and a machine white-cell differential.',
    billable: true,
  },
  // Radiology
  {
    system: 'CPT',
    code: '71045',
    shortDescription: 'Chest X-ray, one view',
    longDescription: 'Radiograph of the chest taken from a single view.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '71046',
    shortDescription: 'Chest X-ray, two views',
    longDescription: 'Radiograph of the chest taken from two views, usually frontal and lateral.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '73560',
    shortDescription: 'Knee X-ray, one or two views',
    longDescription: 'Radiograph of one knee taken from one or two views.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '73562',
    shortDescription: 'Knee X-ray, three views',
    longDescription: 'Radiograph of one knee taken from three views.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '73564',
    shortDescription: 'Knee X-ray, four or more views',
    longDescription: 'Radiograph of one knee taken from four or more views.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '73565',
    shortDescription: 'Knee X-ray, both knees standing',
    longDescription: 'Single standing frontal radiograph of both knees taken together.',
    billable: true,
  },
  // Medicine
  {
    system: 'CPT',
    code: '93000',
    shortDescription: 'ECG with tracing, interpretation and report',
    longDescription:
      'Routine 12-lead electrocardiogram including the recording, the reading and the written report.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '96372',
    shortDescription: 'Injection of a drug into muscle or under the skin',
    longDescription:
      'Therapeutic, preventive or diagnostic drug injection given into a muscle or under the skin.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '90471',
    shortDescription: 'Vaccine administration, first injected vaccine',
    longDescription:
      'Giving one injected vaccine (percutaneous, intradermal, subcutaneous or intramuscular), first or only vaccine of the day.',
    billable: true,
  },
  {
    system: 'CPT',
    code: '90656',
    shortDescription: 'Flu vaccine, trivalent, preservative free, 0.5 mL, IM',
    longDescription:
      'Trivalent split-virus influenza vaccine without preservative, 0.5 mL dose, given into a muscle (vaccine product only).',
    billable: true,
  },
  {
    system: 'CPT',
    code: '90662',
    shortDescription: 'Flu vaccine, high dose, preservative free, IM',
    longDescription:
      'Split-virus influenza vaccine with increased antigen content for stronger response, without preservative, given into a muscle (vaccine product only).',
    billable: true,
  },
  {
    system: 'CPT',
    code: '90686',
    shortDescription: 'Flu vaccine, quadrivalent, preservative free, 0.5 mL, IM',
    longDescription:
      'Quadrivalent split-virus influenza vaccine without preservative, 0.5 mL dose, given into a muscle (vaccine product only).',
    billable: true,
  },

  // HCPCS Level II: official CMS 2026 text.
  {
    system: 'HCPCS',
    code: 'G0402',
    shortDescription: 'Initial preventive exam',
    longDescription:
      'Initial preventive physical examination; face-to-face visit, services limited to new beneficiary during the first 12 months of medicare enrollment',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G0438',
    shortDescription: 'Ppps, initial visit',
    longDescription:
      'Annual wellness visit; includes a personalized prevention plan of service (pps), initial visit',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G0439',
    shortDescription: 'Ppps, subseq visit',
    longDescription:
      'Annual wellness visit, includes a personalized prevention plan of service (pps), subsequent visit',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G0444',
    shortDescription: 'Depression screen annual',
    longDescription: 'Annual depression screening, 5 to 15 minutes',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G2211',
    shortDescription: 'Complex e/m visit add on',
    longDescription:
      "Visit complexity inherent to evaluation and management associated with medical care services that serve as the continuing focal point for all needed health care services and/or with medical care services that are part of ongoing care related to a patient's single, serious condition or a complex condition. (add-on code, list separately in addition to office/outpatient evaluation and management visit, new or established)",
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G0008',
    shortDescription: 'Admin influenza virus vac',
    longDescription: 'Administration of influenza virus vaccine',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'G0009',
    shortDescription: 'Admin pneumococcal vaccine',
    longDescription: 'Administration of pneumococcal vaccine',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'J1010',
    shortDescription: 'Inj, methylpred acetate 1 mg',
    longDescription: 'Injection, methylprednisolone acetate, 1 mg',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'J1100',
    shortDescription: 'Dexamethasone sodium phos',
    longDescription: 'Injection, dexamethasone sodium phosphate, 1 mg',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'J3301',
    shortDescription: 'Triamcinolone acet inj nos',
    longDescription: 'Injection, triamcinolone acetonide, not otherwise specified, 10 mg',
    billable: true,
  },
  {
    system: 'HCPCS',
    code: 'J7325',
    shortDescription: 'Synvisc or synvisc-one',
    longDescription:
      'Hyaluronan or derivative, synvisc or synvisc-one, for intra-articular injection, 1 mg',
    billable: true,
  },

  // ICD-10-CM FY2026: official CDC/NCHS text; all billable leaf codes.
  {
    system: 'ICD10CM',
    code: 'M25561',
    shortDescription: 'Pain in right knee',
    longDescription: 'Pain in right knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M25461',
    shortDescription: 'Effusion, right knee',
    longDescription: 'Effusion, right knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'S83231A',
    shortDescription: 'Complex tear of medial mensc, current injury, r knee, init',
    longDescription:
      'Complex tear of medial meniscus, current injury, right knee, initial encounter',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M94261',
    shortDescription: 'Chondromalacia, right knee',
    longDescription: 'Chondromalacia, right knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M1711',
    shortDescription: 'Unilateral primary osteoarthritis, right knee',
    longDescription: 'Unilateral primary osteoarthritis, right knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'S39012A',
    shortDescription: 'Strain of muscle, fascia and tendon of lower back, init',
    longDescription: 'Strain of muscle, fascia and tendon of lower back, initial encounter',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'I10',
    shortDescription: 'Essential (primary) hypertension',
    longDescription: 'Essential (primary) hypertension',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E1165',
    shortDescription: 'Type 2 diabetes mellitus with hyperglycemia',
    longDescription: 'Type 2 diabetes mellitus with hyperglycemia',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E785',
    shortDescription: 'Hyperlipidemia, unspecified',
    longDescription: 'Hyperlipidemia, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z7984',
    shortDescription: 'Long term (current) use of oral hypoglycemic drugs',
    longDescription: 'Long term (current) use of oral hypoglycemic drugs',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'I130',
    shortDescription: 'Hyp hrt & chr kdny dis w hrt fail and stg 1-4/unsp chr kdny',
    longDescription:
      'Hypertensive heart and chronic kidney disease with heart failure and stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'I5023',
    shortDescription: 'Acute on chronic systolic (congestive) heart failure',
    longDescription: 'Acute on chronic systolic (congestive) heart failure',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'N1832',
    shortDescription: 'Chronic kidney disease, stage 3b',
    longDescription: 'Chronic kidney disease, stage 3b',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E1122',
    shortDescription: 'Type 2 diabetes mellitus w diabetic chronic kidney disease',
    longDescription: 'Type 2 diabetes mellitus with diabetic chronic kidney disease',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z794',
    shortDescription: 'Long term (current) use of insulin',
    longDescription: 'Long term (current) use of insulin',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'D225',
    shortDescription: 'Melanocytic nevi of trunk',
    longDescription: 'Melanocytic nevi of trunk',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R7303',
    shortDescription: 'Prediabetes',
    longDescription: 'Prediabetes',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z79899',
    shortDescription: 'Other long term (current) drug therapy',
    longDescription: 'Other long term (current) drug therapy',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R5383',
    shortDescription: 'Other fatigue',
    longDescription: 'Other fatigue',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R918',
    shortDescription: 'Other nonspecific abnormal finding of lung field',
    longDescription: 'Other nonspecific abnormal finding of lung field',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R051',
    shortDescription: 'Acute cough',
    longDescription: 'Acute cough',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R509',
    shortDescription: 'Fever, unspecified',
    longDescription: 'Fever, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'R0602',
    shortDescription: 'Shortness of breath',
    longDescription: 'Shortness of breath',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z0000',
    shortDescription: 'Encntr for general adult medical exam w/o abnormal findings',
    longDescription: 'Encounter for general adult medical examination without abnormal findings',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z23',
    shortDescription: 'Encounter for immunization',
    longDescription: 'Encounter for immunization',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M1712',
    shortDescription: 'Unilateral primary osteoarthritis, left knee',
    longDescription: 'Unilateral primary osteoarthritis, left knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M170',
    shortDescription: 'Bilateral primary osteoarthritis of knee',
    longDescription: 'Bilateral primary osteoarthritis of knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M25562',
    shortDescription: 'Pain in left knee',
    longDescription: 'Pain in left knee',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'S83241A',
    shortDescription: 'Oth tear of medial meniscus, current injury, r knee, init',
    longDescription: 'Other tear of medial meniscus, current injury, right knee, initial encounter',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'S83232A',
    shortDescription: 'Complex tear of medial mensc, current injury, l knee, init',
    longDescription:
      'Complex tear of medial meniscus, current injury, left knee, initial encounter',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'M5450',
    shortDescription: 'Low back pain, unspecified',
    longDescription: 'Low back pain, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E119',
    shortDescription: 'Type 2 diabetes mellitus without complications',
    longDescription: 'Type 2 diabetes mellitus without complications',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E669',
    shortDescription: 'Obesity, unspecified',
    longDescription: 'Obesity, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E782',
    shortDescription: 'Mixed hyperlipidemia',
    longDescription: 'Mixed hyperlipidemia',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'E039',
    shortDescription: 'Hypothyroidism, unspecified',
    longDescription: 'Hypothyroidism, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'N1831',
    shortDescription: 'Chronic kidney disease, stage 3a',
    longDescription: 'Chronic kidney disease, stage 3a',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'I5022',
    shortDescription: 'Chronic systolic (congestive) heart failure',
    longDescription: 'Chronic systolic (congestive) heart failure',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'J069',
    shortDescription: 'Acute upper respiratory infection, unspecified',
    longDescription: 'Acute upper respiratory infection, unspecified',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'J189',
    shortDescription: 'Pneumonia, unspecified organism',
    longDescription: 'Pneumonia, unspecified organism',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'D485',
    shortDescription: 'Neoplasm of uncertain behavior of skin',
    longDescription: 'Neoplasm of uncertain behavior of skin',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'L821',
    shortDescription: 'Other seborrheic keratosis',
    longDescription: 'Other seborrheic keratosis',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z0001',
    shortDescription: 'Encounter for general adult medical exam w abnormal findings',
    longDescription: 'Encounter for general adult medical examination with abnormal findings',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z1211',
    shortDescription: 'Encounter for screening for malignant neoplasm of colon',
    longDescription: 'Encounter for screening for malignant neoplasm of colon',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z1231',
    shortDescription: 'Encntr screen mammogram for malignant neoplasm of breast',
    longDescription: 'Encounter for screening mammogram for malignant neoplasm of breast',
    billable: true,
  },
  {
    system: 'ICD10CM',
    code: 'Z87891',
    shortDescription: 'Personal history of nicotine dependence',
    longDescription: 'Personal history of nicotine dependence',
    billable: true,
  },

  // Modifiers: own summaries.
  {
    system: 'MODIFIER',
    code: '25',
    shortDescription: 'Separate significant E/M visit, same day',
    longDescription:
      'An evaluation and management visit that is significant and separately identifiable from a procedure or other service on the same day.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '26',
    shortDescription: 'Professional component only',
    longDescription:
      'Only the physician interpretation and report of a service that also has a technical part.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '50',
    shortDescription: 'Bilateral procedure',
    longDescription: 'The same procedure was done on both sides of the body in one session.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '57',
    shortDescription: 'Visit where the decision for major surgery was made',
    longDescription:
      'An evaluation and management visit, the day before or the day of a major operation, at which the decision to operate was made.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '59',
    shortDescription: 'Distinct procedural service',
    longDescription:
      'A service normally bundled with another was distinct: separate site, lesion, incision, session or encounter.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '76',
    shortDescription: 'Repeat procedure, same clinician',
    longDescription: 'The same procedure was repeated on the same day by the same clinician.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: '91',
    shortDescription: 'Repeat lab test, same day',
    longDescription:
      'The same laboratory test was repeated on the same day to obtain new results, not to recheck a faulty run.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'LT',
    shortDescription: 'Left side',
    longDescription: 'The procedure was performed on the left side of the body.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'RT',
    shortDescription: 'Right side',
    longDescription: 'The procedure was performed on the right side of the body.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'TC',
    shortDescription: 'Technical component only',
    longDescription:
      'Only the equipment, staff and supplies part of a service that also has a professional interpretation.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'QW',
    shortDescription: 'CLIA-waived test',
    longDescription:
      'The laboratory test was done with a method waived under CLIA, such as a point-of-care device.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'XE',
    shortDescription: 'Separate encounter',
    longDescription:
      'The service is distinct because it took place at a separate encounter on the same day.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'XP',
    shortDescription: 'Separate practitioner',
    longDescription: 'The service is distinct because a different practitioner performed it.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'XS',
    shortDescription: 'Separate structure or organ',
    longDescription:
      'The service is distinct because it was performed on a separate organ or structure.',
    billable: true,
  },
  {
    system: 'MODIFIER',
    code: 'XU',
    shortDescription: 'Unusual non-overlapping service',
    longDescription:
      'The service is distinct because it does not overlap the usual parts of the main service.',
    billable: true,
  },
];
