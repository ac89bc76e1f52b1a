import type { Config } from '../config.js';
import { WechatClient } from '../wechat/client.js';
import { createAccountService, openidOf } from './account/service.js';
import { createVolunteerLedger } from './activity/ledger.js';
import { createCampaignService } from './activity/campaigns.js';
import { createVolunteerProfiles } from './activity/profile.js';
import { createRewardService } from './activity/rewards.js';
import { createActivityService } from './activity/service.js';
import { createAuthorityService } from './authority/service.js';
import { createBookingService } from './booking/service.js';
import { createCertificateService } from './certificate/service.js';
import { createCaseService } from './case/service.js';
import { createNotificationService } from './notification/service.js';
import { createPollService } from './poll/service.js';
import { createPollStaffService } from './poll/staff.js';
import { createSpaceService } from './space/service.js';
import { createModerator } from './topic/moderation.js';
import { createTopicService } from './topic/service.js';
import { createMeetingService } from './meeting/service.js';
import { createUploadService } from './upload/service.js';
import { DiskFileStore } from './upload/storage.js';

/** Wires the services together once per app; routes receive them from here. */
export function createServices(config: Config, wechat = new WechatClient(config.wechat)) {
  const accounts = createAccountService(
    {
      jwtSecret: config.jwtSecret,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlDays: config.refreshTokenTtlDays,
      appid: config.wechat.appid,
      staffLockAfterFailures: config.staffLockAfterFailures,
      staffLockMinutes: config.staffLockMinutes,
      staffAccountFailuresPerHour: config.staffAccountFailuresPerHour,
      throttleKey: config.jwtSecret,
    },
    wechat,
  );
  const spaces = createSpaceService(accounts, wechat);
  const notifications = createNotificationService(wechat, openidOf);
  const authorities = createAuthorityService(accounts, spaces, notifications);
  const bookings = createBookingService(accounts, notifications, authorities, config.wechat.templates, (actor) => spaces.communityFor(actor));
  const uploads = createUploadService(new DiskFileStore(config.uploadDir));
  const polls = createPollService({
    accounts,
    notifications,
    authorities,
    ballotKey: config.ballotKey,
    publishGraceMs: config.pollPublishGraceMs,
  });
  const pollDesk = createPollStaffService(polls, notifications, config.wechat.templates.pollReminder);
  const topics = createTopicService({ accounts, notifications, uploads, wechat, openidOf, supportThreshold: config.topicSupportThreshold });
  const meetings = createMeetingService({ accounts, notifications });
  const volunteerProfiles = createVolunteerProfiles();
  const activities = createActivityService(accounts, notifications, authorities, volunteerProfiles);
  const volunteerLedger = createVolunteerLedger(activities.signupView);
  const rewards = createRewardService(notifications);
  const cases = createCaseService({ accounts, notifications, uploads });
  const certificates = createCertificateService({ volunteerProfiles, notifications, publicH5Url: config.publicH5Url });
  const campaigns = createCampaignService({ notifications, polls, uploads, moderate: createModerator(wechat, openidOf) });
  return { accounts, spaces, notifications, authorities, bookings, uploads, polls, pollDesk, topics, meetings, activities, volunteerLedger, rewards, campaigns, volunteerProfiles, cases, certificates, wechat };
}

export type Services = ReturnType<typeof createServices>;
