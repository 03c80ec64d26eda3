/**
 * The only bridge between the page and the main process: `window.backstop.invoke(channel, request)`
 * for exactly the channels of the IPC contract. No Node, no ipcRenderer, no events leak through.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { isChannel } from '../shared/ipc/channels';
import type { BackstopBridge } from '../shared/ipc/contract';

const bridge: BackstopBridge = {
  invoke(channel, request) {
    if (!isChannel(channel)) {
      return Promise.resolve({ ok: false, code: 'UNKNOWN_CHANNEL', message: `No such channel: ${String(channel)}` });
    }
    return ipcRenderer.invoke(channel, request);
  },
};

contextBridge.exposeInMainWorld('backstop', bridge);
