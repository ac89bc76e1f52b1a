import type {
  BindingRequestBody,
  BindingView,
  BuildingView,
  InvitationCreateBody,
  LoginResponse,
  MeView,
  RoomView,
  StaffLoginBody,
  UnitView,
} from '@community/shared';
import { api } from './request';

/** Typed calls to the API, one line each; the shapes come from shared/. */

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface InvitationIssued {
  code: string;
  roomLabel: string;
  expiresAt: string;
}

export const Api = {
  wechatLogin: (code: string) => api.post<LoginResponse>('/api/v1/auth/wechat', { code }, { auth: false }),
  staffLogin: (body: StaffLoginBody) => api.post<LoginResponse>('/api/v1/auth/staff', body, { auth: false }),
  logout: (refreshToken: string) => api.post<unknown>('/api/v1/auth/logout', { refreshToken }, { auth: false }),
  me: () => api.get<MeView>('/api/v1/me'),

  buildings: () => api.get<Page<BuildingView>>('/api/v1/spaces/buildings'),
  units: (buildingId: string) => api.get<Page<UnitView>>(`/api/v1/spaces/buildings/${encodeURIComponent(buildingId)}/units`),
  rooms: (unitId: string) => api.get<Page<RoomView>>(`/api/v1/spaces/units/${encodeURIComponent(unitId)}/rooms`),

  requestBinding: (body: BindingRequestBody) => api.post<BindingView>('/api/v1/bindings', body),
  redeemInvitation: (code: string) => api.post<BindingView>('/api/v1/bindings/redeem', { code }),
  myBindings: () => api.get<Page<BindingView>>('/api/v1/bindings/mine'),

  staffBindings: (status: string, cursor?: string | null) =>
    api.get<Page<BindingView>>('/api/v1/staff/bindings', { status, cursor: cursor ?? undefined }),
  approveBinding: (id: string) => api.post<BindingView>(`/api/v1/staff/bindings/${encodeURIComponent(id)}/approve`),
  rejectBinding: (id: string, reason: string) =>
    api.post<BindingView>(`/api/v1/staff/bindings/${encodeURIComponent(id)}/reject`, { reason }),
  issueInvitation: (body: InvitationCreateBody) => api.post<InvitationIssued>('/api/v1/staff/invitations', body),
};
