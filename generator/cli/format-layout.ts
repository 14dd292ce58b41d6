// The pahole-style text view of `structgen layout`: now rendered by generator/render/text.ts (pure, shared with the
// other views and the browser playground), re-exported here for existing importers.

export { formatRecord, formatReport, type TextOptions } from '../render/text.js';
