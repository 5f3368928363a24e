import type { SummaryWriter, UpdateReader } from '../ports/update-reader.port';
import { OfflineSummaryWriter } from './offline-summary-writer';
import { OfflineUpdateReader } from './offline-update-reader';

/** Who reads updates and writes summaries (issue 21). */
export interface Assistant {
  updateReader: UpdateReader;
  summaryWriter: SummaryWriter;
}

/**
 * The offline reader and writer (the deterministic extractor and templates): the default, and what the model path
 * (src/bot/assistant) falls back to on any failure.
 */
export function offlineAssistant(): Assistant {
  return { updateReader: new OfflineUpdateReader(), summaryWriter: new OfflineSummaryWriter() };
}
