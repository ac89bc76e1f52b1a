import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { commentStatuses, topicStatuses } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId; createdAt: Date };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const topicSchema = new Schema(
  {
    communityId: ref,
    authorId: ref,
    authorName: { type: String, required: true },
    byStaff: { type: Boolean, default: false },
    title: { type: String, required: true },
    body: { type: String, required: true },
    /** Upload ids (random hex; ObjectIds in topics from before), attached to this topic and served by /topics/:id/photos/:photoId. */
    photoIds: { type: [Schema.Types.Mixed], default: undefined },
    status: { type: String, enum: topicStatuses, required: true },
    hiddenReason: { type: String, default: null },
    /** Fixed when the topic is raised, so a later change of the setting does not move the goalposts. */
    supportThreshold: { type: Number, required: true },
    supportCount: { type: Number, default: 0 },
    commentCount: { type: Number, default: 0 },
    agendaAt: { type: Date, default: null },
    verdict: { type: String, default: null },
  },
  options,
);
topicSchema.index({ communityId: 1, status: 1, _id: -1 });
export const Topic = model('Topic', topicSchema, 'topics');
export type TopicDoc = WithId<InferSchemaType<typeof topicSchema>>;

/** One per person and topic: `_id` = `<topicId>|<userId>`. */
const supportSchema = new Schema({ _id: { type: String, required: true }, topicId: ref, userId: ref }, { timestamps: true, versionKey: false });
export const TopicSupport = model('TopicSupport', supportSchema, 'topic_supports');

const commentSchema = new Schema(
  {
    topicId: ref,
    communityId: ref,
    authorId: ref,
    authorName: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: commentStatuses, required: true },
    /** What WeChat's content check said (pass / review), or "unchecked" when it could not be asked. */
    verdict: { type: String, required: true },
    hiddenReason: { type: String, default: null },
    hiddenBy: { type: Schema.Types.ObjectId, default: null },
  },
  options,
);
commentSchema.index({ topicId: 1, _id: 1 });
commentSchema.index({ communityId: 1, status: 1 });
export const Comment = model('TopicComment', commentSchema, 'topic_comments');
export type CommentDoc = WithId<InferSchemaType<typeof commentSchema>>;
