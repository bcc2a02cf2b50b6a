---@meta
-- eplua net: what the network modules of eplua-net share (the `net` table, callback tables, error words).
-- Each area has its file: tcp.lua, udp.lua, http.lua, websocket.lua, mqtt.lua. Declarations only.
--
-- Two styles of every capability: callback style (EPLua / Fibaro HC3 names: `net.TCPSocket`, `cb.success`,
-- `cb.error`) and task style (SignaKit names: `create_tcp_socket`, `*_async` methods that suspend the running task
-- and return `value` or `nil, err`). Network failures never raise; misuse (wrong argument types, bad ports) raises
-- "bad argument" at the caller's line. Port 0 means any free port; the bound port is returned.

---The first word of a network error (README, "Network errors"); `": "` and detail may follow (`"refused: 127.0.0.1:1"`).
---A wait that ran out of time reads exactly "timeout", a stream the peer ended in order exactly "closed". The same
---failure reads the same in tcp, udp, http, websocket and mqtt; test the word, not the detail.
---@alias net.ErrorWord
---| "timeout"     # nothing came in time: connect, a read, a response, a handshake
---| "closed"      # the socket or connection is closed: by the peer in order, by the script, never connected
---| "refused"     # nothing listens at that port, or the MQTT broker refused the CONNECT ("(code N)")
---| "reset"       # the peer aborted an open connection
---| "resolve"     # the host name does not resolve
---| "unreachable" # no route to the host or its network
---| "tls"         # the TLS handshake failed, or a certificate or key file cannot be loaded
---| "protocol"    # the peer broke the protocol (malformed response, rejected handshake, redirect loop)
---| "too large"   # a body, message or frame over its limit
---| "bind"        # a local address cannot be bound
---| "denied"      # the system does not allow it (a privileged port, broadcast without the option)
---| "io"          # any other input/output failure

---A network error message: it starts with a `net.ErrorWord`, then detail may follow.
---@alias net.Error string

---Callback-style completion: `success` gets the results, `error` gets a `net.Error`. Either may be missing; each
---runs later, as a task.
---@class net.Callback
---@field success? fun(...: any)
---@field error? fun(err: net.Error)

---What every socket, server and client of the network modules can do with its lifetime (eplua-net/LIFECYCLE-NET.md).
---A handle belongs to the task that opened it: cancelling that task closes it, unless detached. Each call applies to
---the object's connection or listener of the moment and to every later one (a reconnect, a restart).
---@class net.Handle
local Handle = {}

---Lets the engine go idle (and a script end) while it is open; it still works when used. A server's unref covers its
---connections. `{system = true}` in the constructor's options does the same from the start.
---@return self
function Handle:unref() end

---Keeps the engine alive while it is open again (the default).
---@return self
function Handle:ref() end

---Makes it outlive the task that opened it: cancelling that task no longer closes it.
---@return self
function Handle:detach() end

---The option every network constructor takes.
---@class net.HandleOptions
---@field system? boolean true: unref'd from the start (see `net.Handle:unref`)

---The callback-style network API (EPLua / Fibaro names): sockets, servers and clients.
---@class net
net = {}
