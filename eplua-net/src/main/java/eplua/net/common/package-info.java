/**
 * What every network module shares: the error vocabulary ({@link eplua.net.common.NetError}), waiters with timeouts
 * and inboxes, the listening-socket bootstrap, host name lookups off the event loop, TLS contexts, and the module
 * base class.
 */
package eplua.net.common;
