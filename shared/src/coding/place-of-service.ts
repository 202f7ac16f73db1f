/**
 * CMS place-of-service codes that a coding team meets most often. Facility places price the
 * facility practice-expense RVU; the rest price the non-facility one.
 */
export interface PlaceOfService {
  code: string;
  name: string;
  facility: boolean;
}

export const PLACES_OF_SERVICE: readonly PlaceOfService[] = [
  { code: '02', name: 'Telehealth other than in patient home', facility: true },
  { code: '10', name: 'Telehealth in patient home', facility: false },
  { code: '11', name: 'Office', facility: false },
  { code: '12', name: 'Home', facility: false },
  { code: '19', name: 'Off campus outpatient hospital', facility: true },
  { code: '20', name: 'Urgent care facility', facility: false },
  { code: '21', name: 'Inpatient hospital', facility: true },
  { code: '22', name: 'On campus outpatient hospital', facility: true },
  { code: '23', name: 'Emergency room, hospital', facility: true },
  { code: '24', name: 'Ambulatory surgical center', facility: true },
  { code: '31', name: 'Skilled nursing facility', facility: true },
  { code: '32', name: 'Nursing facility', facility: false },
  { code: '81', name: 'Independent laboratory', facility: false },
];

export const PLACE_OF_SERVICE_CODES = PLACES_OF_SERVICE.map((p) => p.code);

export function placeOfService(code: string): PlaceOfService | undefined {
  return PLACES_OF_SERVICE.find((p) => p.code === code);
}
