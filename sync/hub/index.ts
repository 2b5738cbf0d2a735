// The reference hub's API for the CLI, the daemon's demo, tests and benches.
export { openHubStore, type OpenHubStoreOptions } from './open-store.js';
export { startHub, DEFAULT_HUB_PORT, type RunningHub, type StartHubOptions } from './server.js';
export { publishFeedFile, publishFeedStream, type FilePublishResult } from './feed-file.js';
export { codePayload, mintCode, type MintInput } from './codes.js';
export { loadHubConfig, type HubConfig } from './hub-config.js';
export type { DeviceRow, HubStore, PublishResult, StoredEvent, AuditHeadRow } from './types.js';
