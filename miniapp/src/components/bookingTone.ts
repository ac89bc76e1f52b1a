import type { BookingStatus } from '@community/shared';
import type { Tone } from './ui';

export function bookingTone(status: BookingStatus): Tone {
  switch (status) {
    case 'confirmed':
    case 'checked_in':
    case 'closed':
      return 'ok';
    case 'waitlisted':
      return 'wait';
    case 'no_show':
    case 'expired':
      return 'bad';
    default:
      return 'info';
  }
}
