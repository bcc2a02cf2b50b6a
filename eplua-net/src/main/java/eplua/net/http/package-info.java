/** The {@code http} module: an HTTP/1.1 client with a keep-alive pool and an HTTP server whose handler is Lua. */
package eplua.net.http;
