// Public surface of engine/audience: launch audiences for new products from purchase histories.
export type { AudienceCandidate, AudienceItem, AudienceMember, CandidateAudience, DemandShare, OrderRow, TruthRow } from './types.js';
export { buildAudiences, DEFAULT_AUDIENCE_OPTIONS, type AudienceInput, type AudienceOptions, type AudienceResult } from './audience.js';
export { SEGMENTS, type CustomerSegment, type SegmentName } from './segments.js';
export { FEATURE_NAMES } from './features.js';
export { popularityAudience, likeItemAudience, orderTimingAudience, type BaselineAudience, type BaselineInput } from './baselines.js';
export { audienceMetrics, type AudienceMetrics, type MetricsInput, type Prediction } from './metrics.js';
export { rollingCut, type AudienceCut } from './cuts.js';
