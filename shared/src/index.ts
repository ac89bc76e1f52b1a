import './zod-setup.js';

export * from './errors.js';
export * from './roles.js';
export * from './schemas/common.js';
export * from './schemas/auth.js';
export * from './schemas/space.js';
export * from './format.js';
export * from './time.js';
export * from './schemas/booking.js';
export * from './schemas/poll.js';
export * from './votes/art278.js';
export * from './votes/roll.js';
export * from './schemas/topic.js';
export * from './schemas/meeting.js';
export * from './schemas/activity.js';
export * from './schemas/case.js';
export * from './schemas/certificate.js';
