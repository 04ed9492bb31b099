/**
 * Preloaded into the Agents Playground (bot/dev/playground.ts). Its server calls `listen(port)`
 * with no host, which binds every interface, and it has no setting for the address; with this, a
 * server that names no host listens on 127.0.0.1, so the local stack is reachable from this
 * machine only. A listen that names a host, a path or a handle is left as it is.
 */
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort && typeof second !== 'string') args.splice(1, 0, LOOPBACK);
  else if (first !== null && typeof first === 'object' && 'port' in first && first.host === undefined)
    args[0] = { ...first, host: LOOPBACK };
  return listen.apply(this, args);
};
