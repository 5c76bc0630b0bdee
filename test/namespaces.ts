/** One Temporal namespace per integration test file (created by the global setup). */
export const TEST_NAMESPACES = ['ll-loop', 'll-invalid', 'll-api', 'll-restart', 'll-training', 'll-real-shop', 'll-shards', 'll-adjust', 'll-auth', 'll-browser', 'll-observability', 'll-audiences'] as const;
export type TestNamespace = (typeof TEST_NAMESPACES)[number];
