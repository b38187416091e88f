// Works out one saved view's first rows (view-head.ts) off main's event loop, and exits.
import { parentPort } from 'node:worker_threads';
import { type ViewHeadInput, viewHead } from './view-head';

export type ViewHeadReply = { ok: true; head: ReturnType<typeof viewHead> } | { ok: false; message: string };

parentPort?.once('message', (input: ViewHeadInput) => {
  let reply: ViewHeadReply;
  try {
    reply = { ok: true, head: viewHead(input) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
