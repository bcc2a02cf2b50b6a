/** UDP for Lua: callback-style {@code net.UDPSocket} and task-style {@code create_udp_socket()} on the engine's Netty loop. */
package eplua.net.udp;
