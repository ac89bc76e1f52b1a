/** Display helpers both sides use, so a phone or an area reads the same everywhere. */

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/** 0.01 m² integer → "89.50 ㎡". Integer maths only: areas feed legal vote counts. */
export function formatArea(centiSquareMetres: number): string {
  const whole = Math.trunc(centiSquareMetres / 100);
  const cents = Math.abs(centiSquareMetres % 100);
  return `${whole}.${String(cents).padStart(2, '0')} ㎡`;
}

/** "89.5" or "89.50" → 8950; anything else → null. Parsed as text to avoid float rounding. */
export function parseArea(text: string): number | null {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const whole = Number(m[1]);
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  return whole * 100 + cents;
}

export function roomLabel(building: string, unit: string, room: string): string {
  return `${building} ${unit} ${room}`;
}
