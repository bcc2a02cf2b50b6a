---@meta
-- eplua websocket: WebSocket client and server, from eplua-net/src/main/resources/eplua/net/ws.lua. Pings are
-- answered and close frames handled for you. A message larger than maxMessageSize closes that connection (status
-- 1009) with a "too large" error. Declarations only.

---Options of `net.WebSocketClient`.
---@class net.WebSocketClientOptions: net.HandleOptions
---@field headers? table<string, string> sent with the upgrade request
---@field timeout? number milliseconds for connect and handshake (default 30000)
---@field checkCertificate? boolean default true (chain and host name)
---@field caFile? string PEM file of certificate authorities to trust
---@field maxMessageSize? integer bytes (default 16 MiB)

---How `send` frames data: without it, valid UTF-8 goes as a text frame and anything else as binary.
---@class net.WebSocketSendOptions
---@field binary? boolean send a binary frame
---@field text? boolean send a text frame

---Events of a WebSocket client.
---@alias net.WebSocketEvent
---| "connected"    # fn()
---| "disconnected" # fn()
---| "error"        # fn(err)
---| "dataReceived" # fn(data, isBinary)

---A WebSocket client (EPLua / Fibaro names, plus task-style `*_async` methods). The URL's ws:// or wss:// decides
---whether TLS is used.
---@class net.WebSocketClient: net.Handle
local WebSocketClient = {}

---Adds a listener; several listeners of one event run in the order added.
---@param name net.WebSocketEvent
---@param fn function
---@overload fun(self: net.WebSocketClient, name: "connected"|"disconnected", fn: fun())
---@overload fun(self: net.WebSocketClient, name: "error", fn: fun(err: net.Error))
---@overload fun(self: net.WebSocketClient, name: "dataReceived", fn: fun(data: string, isBinary: boolean))
function WebSocketClient:addEventListener(name, fn) end

---Removes `fn`, or every listener of the event when `fn` is nil.
---@param name net.WebSocketEvent
---@param fn? function
function WebSocketClient:removeEventListener(name, fn) end

---Connects, callback style: a "connected" or "error" event follows.
---@param url string ws://... or wss://...
---@param headers? table<string, string> added to opts.headers
function WebSocketClient:connect(url, headers) end

---Connects and suspends the running task until the handshake is done; messages are buffered from then on for
---`receive_async`.
---@async
---@param url string
---@param headers? table<string, string>
---@return true? ok
---@return net.Error? err
function WebSocketClient:connect_async(url, headers) end

---Sends a message. A write that fails later is an "error" event.
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return boolean ok false when the connection is not open
---@return net.Error? err
function WebSocketClient:send(data, opts) end

---Sends a message and suspends the running task until it is written.
---@async
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return true? ok
---@return net.Error? err
function WebSocketClient:send_async(data, opts) end

---Receives the next message ("timeout" leaves the connection usable; "closed" at the end).
---@async
---@param timeout_ms? number
---@return string? data
---@return boolean|net.Error isBinary_or_err
function WebSocketClient:receive_async(timeout_ms) end

---@return boolean
function WebSocketClient:isOpen() end

---Sends a close frame (1000), then the connection closes.
function WebSocketClient:close() end

---Makes a WebSocket client (not connected yet).
---@param opts? net.WebSocketClientOptions
---@return net.WebSocketClient
function net.WebSocketClient(opts) end

---Makes a WebSocket client; the same as `net.WebSocketClient` (use a wss:// URL).
---@param opts? net.WebSocketClientOptions
---@return net.WebSocketClient
function net.WebSocketClientTls(opts) end

---Options of `net.WebSocketServer`.
---@class net.WebSocketServerOptions: net.HandleOptions
---@field cert? string PEM certificate file: serve wss
---@field key? string PEM (PKCS#8) private key file
---@field maxMessageSize? integer bytes (default 16 MiB)
---@field handshakeTimeout? number ms from accept to a completed upgrade (default 10000; then 408 and close; 0: none)
---@field maxHeaderSize? integer bytes of the upgrade request's header lines (default 16384; more gets 431 and close)
---@field maxHeaders? integer header lines of the upgrade request (default 100; more gets 431 and close)

---The handlers of a callback-style WebSocket server; each runs as a task.
---@class net.WebSocketServerHandlers
---@field started? fun(port: integer)
---@field connected? fun(cid: integer, path: string)
---@field disconnected? fun(cid: integer)
---@field receive? fun(cid: integer, data: string, isBinary: boolean)
---@field error? fun(err: net.Error, cid?: integer)

---A WebSocket server. With handlers it is callback style (clients are known by id); without, every connection is
---taken with `accept_async` as a `net.WebSocketConnection`.
---@class net.WebSocketServer: net.Handle
local WebSocketServer = {}

---Starts listening (port 0: any free port); suspends until bound. A failure is also given to `handlers.error`.
---@async
---@param host? string nil: 127.0.0.1 (EPLua)
---@param port integer
---@param handlers? net.WebSocketServerHandlers
---@return integer? port the bound port
---@return net.Error? err
function WebSocketServer:start(host, port, handlers) end

---Sends a message to client `cid`; `false, err` for an unknown or closed client. A failure is also an "error"
---event.
---@param cid integer
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return boolean ok
---@return net.Error? err
function WebSocketServer:send(cid, data, opts) end

---Sends a message to client `cid` and suspends until it is written.
---@async
---@param cid integer
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return true? ok
---@return net.Error? err
function WebSocketServer:send_async(cid, data, opts) end

---Waits for the next connection (servers started without handlers).
---@async
---@param timeout_ms? number
---@return net.WebSocketConnection? conn
---@return net.Error? err
function WebSocketServer:accept_async(timeout_ms) end

---Closes one client's connection.
---@param cid integer
---@return boolean existed
function WebSocketServer:close(cid) end

---Closes one client's connection (the same as `close`).
---@param cid integer
---@return boolean existed
function WebSocketServer:closeClient(cid) end

---The ids of the connected clients.
---@return integer[]
function WebSocketServer:getClients() end

---Stops listening and closes every client (idempotent). Called from a task, it returns once the port is closed.
function WebSocketServer:stop() end

---@return boolean
function WebSocketServer:isRunning() end

---Makes a WebSocket server (not listening yet).
---@param opts? net.WebSocketServerOptions
---@param background? boolean EPLua: true = unref'd (the same as `opts.system`)
---@return net.WebSocketServer
function net.WebSocketServer(opts, background) end

---One connection accepted by a task-style `net.WebSocketServer`.
---@class net.WebSocketConnection: net.Handle
---@field id integer the client id (as `getClients` lists it)
local WebSocketConnection = {}

---Receives the next message.
---@async
---@param timeout_ms? number
---@return string? data
---@return boolean|net.Error isBinary_or_err
function WebSocketConnection:receive_async(timeout_ms) end

---Sends a message and suspends until it is written.
---@async
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return true? ok
---@return net.Error? err
function WebSocketConnection:send_async(data, opts) end

---Sends a message.
---@param data string|number
---@param opts? net.WebSocketSendOptions
---@return boolean ok false when the connection is not open
---@return net.Error? err
function WebSocketConnection:send(data, opts) end

---@return boolean
function WebSocketConnection:isOpen() end

function WebSocketConnection:close() end
