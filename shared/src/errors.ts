/**
 * One catalogue of error codes shared by the API and the mini-program. The API
 * answers `{ error: { code, message, details } }`; the client shows `message`
 * (Chinese, written for residents) and may branch on `code`.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: '填写的内容有误，请检查后再试' },
  BAD_JSON: { status: 400, message: '请求格式不正确' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  TOKEN_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  REFRESH_TOKEN_INVALID: { status: 401, message: '登录状态已失效，请重新登录' },
  LOGIN_FAILED: { status: 401, message: '用户名或密码不正确' },
  FORBIDDEN: { status: 403, message: '您没有权限进行这项操作' },
  NOT_FOUND: { status: 404, message: '没有找到相关内容' },
  ROUTE_NOT_FOUND: { status: 404, message: '没有这个接口' },
  CONFLICT: { status: 409, message: '操作冲突，请刷新后再试' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容太大了' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持这种文件格式' },
  ACCOUNT_LOCKED: { status: 423, message: '密码错误次数太多，账号已暂时锁定，请稍后再试' },
  RATE_LIMITED: { status: 429, message: '操作太频繁了，请稍等一会儿再试' },
  WECHAT_CODE_INVALID: { status: 400, message: '微信登录凭证无效，请重新打开小程序' },
  WECHAT_USER_BLOCKED: { status: 403, message: '该微信账号暂时无法使用本服务' },
  WECHAT_TOO_FREQUENT: { status: 429, message: '登录太频繁了，请稍等一会儿再试' },
  WECHAT_UNAVAILABLE: { status: 502, message: '微信服务暂时不可用，请稍后再试' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系社区工作人员' },
  BINDING_EXISTS: { status: 409, message: '您已经申请或绑定了这套房屋' },
  BINDING_ALREADY_DECIDED: { status: 409, message: '这条申请已经处理过了' },
  INVITATION_INVALID: { status: 400, message: '邀请码无效、已使用或已过期' },
  IMPORT_REJECTED: { status: 422, message: '文件中有不符合要求的行，本次没有导入任何数据' },
  SERVICE_RETIRED: { status: 409, message: '这个事项已停止预约' },
  SLOT_PAST: { status: 409, message: '这个时段已经开始或过去了，请选择其他时间' },
  SLOT_OUTSIDE_WINDOW: { status: 400, message: '这个时段还没有开放预约' },
  SLOT_FULL: { status: 409, message: '这个时段已约满，请选择其他时间' },
  ALREADY_BOOKED: { status: 409, message: '您已经预约了这个时段' },
  BOOKING_LIMIT_REACHED: { status: 409, message: '您在这个事项已有预约，办完或取消后才能再约' },
  CHANGE_TOO_LATE: { status: 409, message: '已过取消和改约的截止时间，如需帮助请致电服务中心' },
  BOOKING_NOT_CHANGEABLE: { status: 409, message: '这个预约现在不能修改了' },
  CHECK_IN_NOT_TODAY: { status: 409, message: '这个预约不是今天的，现在不能核验' },
  NO_SHOW_TOO_EARLY: { status: 409, message: '时段结束后才能标记未到场' },
  RATING_NOT_ALLOWED: { status: 409, message: '办理完成后才能评价' },
  ALREADY_RATED: { status: 409, message: '您已经评价过了，谢谢您' },
  ACTING_NOT_ALLOWED: { status: 403, message: '您没有替这位居民办理的授权' },
  CONTENT_RISKY: { status: 422, message: '内容可能不符合社区公约，请修改后再发' },
  TOPIC_CLOSED: { status: 409, message: '这个议题现在不能支持或发表意见' },
  SIGNUP_CLOSED: { status: 409, message: '现在不在报名时间内' },
  ALREADY_SIGNED_UP: { status: 409, message: '您已经报名了这个活动' },
  CANCEL_TOO_LATE: { status: 409, message: '已过取消报名的截止时间，如不能参加请联系组织方' },
  SIGNUP_NOT_CHANGEABLE: { status: 409, message: '这个报名现在不能修改了' },
  ACTIVITY_CANCELLED: { status: 409, message: '这个活动已取消' },
  NOT_SIGNED_UP: { status: 403, message: '您没有报名这个活动，不能签到' },
  SCAN_OUTSIDE_WINDOW: { status: 409, message: '现在不在活动签到时间内' },
  POSTER_EXPIRED: { status: 409, message: '这张签到码已经失效，请扫描活动现场最新的签到码' },
  ALREADY_CHECKED_OUT: { status: 409, message: '您已经签退过了，这次活动不用再扫码。时长等组织方确认后会记到您的名下。' },
  AGE_NOT_ALLOWED: { status: 409, message: '您的年龄不符合这个活动的要求，可以看看别的活动' },
  AGE_UNKNOWN: { status: 409, message: '这个活动有年龄要求，请先在“志愿者资料”里填写身份证号（只用来核对年龄和开具证明），再来报名' },
  POINTS_NOT_ENOUGH: { status: 409, message: '积分不够兑换这件物品' },
  OUT_OF_STOCK: { status: 409, message: '这件物品已经兑完了' },
  REDEMPTION_IN_PROGRESS: { status: 409, message: '上一笔兑换还在处理，请稍等再试' },
  CAMPAIGN_WRONG_STAGE: { status: 409, message: '评选现在不在这个阶段' },
  OBJECTIONS_UNANSWERED: { status: 409, message: '还有异议没有答复，答复后才能进入下一步' },
  CASE_WRONG_STATE: { status: 409, message: '这个工单现在不能这样操作' },
  POLL_NOT_DRAFT: { status: 409, message: '投票已经发布，不能再修改或重复发布' },
  POLL_NOT_OPEN: { status: 409, message: '现在不在投票时间内' },
  POLL_NOT_CLOSED: { status: 409, message: '投票还没有结束' },
  POLL_ROLL_INCOMPLETE: { status: 422, message: '房屋台账不完整，无法生成表决名册' },
  NOT_ON_ROLL: { status: 403, message: '您不在本次投票的名册里' },
  UNIT_REQUIRED: { status: 400, message: '请选择用哪一户投票' },
  ALREADY_VOTED: { status: 409, message: '已经投过票了，每户（每人）只能投一次，投了不能改' },
  RESULT_NOT_PUBLISHED: { status: 409, message: '投票结束后才公布结果' },
  OBJECTION_CLOSED: { status: 409, message: '公示期已过，不能再提出异议' },
  REMINDED_RECENTLY: { status: 429, message: '今天已经提醒过了，明天再提醒吧' },
  CERTIFICATE_NOTHING_TO_CERTIFY: { status: 409, message: '您还没有经组织方确认时长的志愿服务，暂时不能出具志愿服务记录证明' },
  CERTIFICATE_REVOKED: { status: 409, message: '这份证明已经撤销了' },
  NOT_COUNCIL_MEMBER: { status: 403, message: '您不是这次议事会的成员，不用签到；欢迎旁听' },
  MEETING_CODE_INVALID: { status: 404, message: '这张签到码已经失效了，请扫描会场现在贴着的签到码' },
  MEETING_SIGN_IN_CLOSED: { status: 409, message: '现在不在签到时间内（会议开始前1小时到会议结束）' },
  MEETING_CANCELLED: { status: 409, message: '这次议事会已经取消了' },
  MEETING_NOT_STARTED: { status: 409, message: '会议开始后才能记录纪要和决议' },
  MEETING_NO_QUORUM: { status: 409, message: '到会成员没有过半数，不能形成决议' },
  RESOLUTION_COUNTS_INVALID: { status: 422, message: '赞成、反对、弃权加起来不能超过到会人数' },
  RESOLUTION_EXISTS: { status: 409, message: '这项议题已经形成决议了' },
  RESOLUTION_DONE: { status: 409, message: '这项决议已经落实完了，不能再添加进展' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: '上一次提交还在处理中，请稍等片刻' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: '这个请求编号已经用于另一项操作' },
  DATABASE_UNAVAILABLE: { status: 503, message: '系统正在维护，请稍后再试' },
  INTERNAL: { status: 500, message: '系统开小差了，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const ErrorCodes = Object.fromEntries(
  Object.keys(errorCatalogue).map((code) => [code, code]),
) as { readonly [K in ErrorCode]: K };

/** Per-field problems, keyed by a dotted path ("" for the body as a whole). */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
