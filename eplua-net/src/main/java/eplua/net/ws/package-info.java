/** The {@code websocket} module: WebSocket client and server on Netty's codecs, callback and task style. */
package eplua.net.ws;
