/// <reference lib="webworker" />
/** The fill helper's thread (fill-helper.ts): a second thread for a first fill, started by the sync worker. */
import { fillHelperHandler } from './fill-helper';

declare const self: DedicatedWorkerGlobalScope;

const handle = fillHelperHandler((reply) => self.postMessage(reply));
self.onmessage = (event: MessageEvent<unknown>) => handle(event.data);
