/**
 * The only bridge between the page and the main process: `window.backstop.invoke(channel, request)`
 * for exactly the channels of the IPC contract, and `window.backstop.on(event, listener)` for
 * exactly its events, which hands the listener the payload alone. No Node, no ipcRenderer, no
 * IpcRendererEvent (it carries the sender) leaks through.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isChannel, isEvent } from '../shared/ipc/channels';
import type { BackstopBridge } from '../shared/ipc/contract';

const bridge: BackstopBridge = {
  invoke(channel, request) {
    if (!isChannel(channel)) {
      return Promise.resolve({ ok: false, code: 'UNKNOWN_CHANNEL', message: `No such channel: ${String(channel)}` });
    }
    return ipcRenderer.invoke(channel, request);
  },
  on(event, listener) {
    if (!isEvent(event) || typeof listener !== 'function') throw new Error(`No such event: ${String(event)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('backstop', bridge);
