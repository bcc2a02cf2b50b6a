/** TCP for Lua: callback-style {@code net.TCPSocket}/{@code net.TCPServer} and task-style sockets on the engine's Netty loop. */
package eplua.net.tcp;
