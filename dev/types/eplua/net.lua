---@meta
-- eplua net: what the network modules of eplua-net share (the `net` table, callback tables, error words).
-- Each area has its file: tcp.lua, udp.lua, http.lua, websocket.lua, mqtt.lua. Declarations only.
--
-- Two styles of every capability: callback style (EPLua / Fibaro HC3 names: `net.TCPSocket`, `cb.success`,
-- `cb.error`) and task style (SignaKit names: `create_tcp_socket`, `*_async` methods that suspend the running task
-- and return `value` or `nil, err`). Network failures never raise; misuse (wrong argument types, bad ports) raises
-- "bad argument" at the caller's line. Port 0 means any free port; the bound port is returned.

---The first word of a network error; detail may follow (`"refused: 127.0.0.1:1"`). The same failure reads the
---same in tcp, udp, http, websocket and mqtt.
---@alias net.ErrorWord
---| "timeout"     # the operation took longer than its timeout
---| "closed"      # the connection or socket is closed, or was reset by the peer
---| "refused"     # the peer refused the connection
---| "unreachable" # no route to the host
---| "unresolved"  # the host name does not resolve (tcp, udp)
---| "resolve"     # the host name does not resolve (http, websocket)
---| "bind"        # the local address could not be bound
---| "denied"      # the operating system denied the operation
---| "tls"         # a TLS handshake or certificate failure ("tls: ...")
---| "too large"   # a body or message over its limit
---| "protocol"    # the peer broke the protocol
---| "handshake"   # the WebSocket upgrade failed
---| "redirect"    # too many redirects
---| "url"         # the URL cannot be used
---| "busy"        # the client is already connected
---| "io"          # another input/output failure
---| "error"       # another failure

---A network error message: it starts with a `net.ErrorWord`, then detail may follow.
---@alias net.Error string

---Callback-style completion: `success` gets the results, `error` gets a `net.Error`. Either may be missing; each
---runs later, as a task.
---@class net.Callback
---@field success? fun(...: any)
---@field error? fun(err: net.Error)

---The callback-style network API (EPLua / Fibaro names): sockets, servers and clients.
---@class net
net = {}
