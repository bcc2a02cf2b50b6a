---@meta
-- eplua tcp: net.TCPSocket / net.TCPServer (callback style) and create_tcp_socket() / create_tcp_server() (task
-- style), from eplua-net/src/main/resources/eplua/net/tcp.lua. Declarations only.

-- ---- callback style -----------------------------------------------------------------------------------------------

---Options of `net.TCPSocket` and `net.TCPServer`.
---@class net.TCPOptions: net.HandleOptions
---@field timeout? number milliseconds for connect and every read (0 or nil: none)

---A TCP connection, callback style. Binary-safe: data are Lua strings of bytes.
---@class net.TCPSocket: net.Handle
local TCPSocket = {}

---Connects; `cb.success()` once connected, `cb.error(err)` otherwise. Connecting again closes the old connection.
---@param ip string host name or address
---@param port integer
---@param cb? net.Callback
function TCPSocket:connect(ip, port, cb) end

---Reads whatever bytes arrive next (at least one): `cb.success(data)`.
---@param cb? net.Callback
function TCPSocket:read(cb) end

---Reads up to `delim`: `cb.success(data)` with the bytes before it (the delimiter is consumed, not returned). At the
---end of the stream the rest comes without the delimiter, then `cb.error("closed")`.
---@param delim string non-empty
---@param cb? net.Callback
function TCPSocket:readUntil(delim, cb) end

---Sends bytes: `cb.success(bytes)` once flushed. A number is sent as its text.
---@param data string|number
---@param cb? net.Callback
function TCPSocket:send(data, cb) end

---Sends bytes (the same as `send`).
---@param data string|number
---@param cb? net.Callback
function TCPSocket:write(data, cb) end

---Closes the connection; pending reads fail with "closed".
function TCPSocket:close() end

---@return boolean
function TCPSocket:isOpen() end

---The address of the peer.
---@return string? ip
---@return integer? port
function TCPSocket:getPeer() end

---Makes a TCP socket, callback style (not connected yet).
---@param opts? net.TCPOptions
---@return net.TCPSocket
function net.TCPSocket(opts) end

---A TCP listener, callback style.
---@class net.TCPServer: net.Handle
---@field port? integer the bound port, once started
local TCPServer = {}

---Listens; calls `fn(client, ip, port)` for every client that connects, as a task. `port` 0: any free port.
---@param host? string address to bind ("0.0.0.0", "127.0.0.1", ...); nil: 127.0.0.1 (EPLua)
---@param port integer
---@param fn fun(client: net.TCPSocket, ip: string, port: integer)
---@return integer? port the bound port
---@return net.Error? err
function TCPServer:start(host, port, fn) end

---Stops accepting; connected clients stay open. It returns once the port is closed: a connect made after it is
---refused.
function TCPServer:stop() end

---Makes a TCP server, callback style (not listening yet); `opts.timeout` applies to the accepted sockets.
---@param opts? net.TCPOptions
---@return net.TCPServer
function net.TCPServer(opts) end

-- ---- task style ---------------------------------------------------------------------------------------------------

---A TCP connection, task style (SignaKit names): the `*_async` methods suspend the running task and return a
---value or `nil, err`.
---@class tcp_socket: net.Handle
local tcp_socket = {}

---Sets the timeout of connect and every receive.
---@param seconds? number nil or negative: none
---@return true
function tcp_socket:settimeout(seconds) end

---Connects (closing an earlier connection).
---@async
---@param host string
---@param port integer
---@return true? ok
---@return net.Error? err
function tcp_socket:connect_async(host, port) end

---Connects (SignaKit): as `connect_async`; after `set_non_blocking(true)` it returns `true` at once, the connect
---going on (`is_connected()` turns true; a failure shows at the next `receive`/`send`).
---@async
---@param host string
---@param port integer
---@return true? ok
---@return net.Error? err
function tcp_socket:connect(host, port) end

---Sends bytes. Returns at once while less than 256 KiB are queued, else once they were flushed (backpressure).
---@async
---@param data string|number
---@return integer? bytes
---@return net.Error? err
function tcp_socket:send_async(data) end

---Sends bytes (SignaKit): as `send_async`; after `set_non_blocking(true)` the bytes are queued and counted at once.
---@async
---@param data string|number
---@return integer? bytes
---@return net.Error? err
function tcp_socket:send(data) end

---Receives: with `n`, up to n bytes, as soon as any are there; `"*l"`, a line without its newline; `"*a"`,
---everything until the peer closes; no argument, whatever is available (at least one byte). At the end of the
---stream the bytes received so far come first (a last line without its newline too), then `nil, "closed"`.
---@async
---@param pattern? integer|"*l"|"*a"
---@return string? data
---@return net.Error? err
function tcp_socket:receive_async(pattern) end

---Receives (SignaKit): as `receive_async`; after `set_non_blocking(true)` it returns at once what the pattern wants
---if it has arrived, else `nil, "timeout"` (and `nil, "closed"` once the stream ended and nothing is left).
---@async
---@param pattern? integer|"*l"|"*a"
---@return string? data
---@return net.Error? err
function tcp_socket:receive(pattern) end

---Makes `connect`, `send` and `receive` return at once (SignaKit); the `*_async` methods still suspend.
---@param flag boolean
---@return true
function tcp_socket:set_non_blocking(flag) end

---Connected and not closed (`is_open` is also true while connecting).
---@return boolean
function tcp_socket:is_connected() end

---@return true
function tcp_socket:close() end

---@return boolean
function tcp_socket:is_open() end

---@return string? ip
---@return integer? port
function tcp_socket:getpeername() end

---@return string? ip
---@return integer? port
function tcp_socket:getsockname() end

---Makes a TCP socket, task style (not connected yet).
---@param opts? net.HandleOptions
---@return tcp_socket
function create_tcp_socket(opts) end

---A TCP listener, task style.
---@class tcp_server: net.Handle
---@field port? integer the bound port, once listening
local tcp_server = {}

---Sets the timeout of `accept_async`.
---@param seconds? number nil or negative: none
---@return true
function tcp_server:settimeout(seconds) end

---Listens on `host:port` (port 0: any free port).
---@param host string
---@param port integer
---@return integer? port the bound port
---@return net.Error? err
function tcp_server:listen(host, port) end

---Waits for the next client.
---@async
---@return tcp_socket? client
---@return net.Error? err
function tcp_server:accept_async() end

---Stops listening; accepted sockets stay open. From a task it returns once the port is closed (a connect made after
---it is refused).
---@return true
function tcp_server:close() end

---Makes a TCP server, task style (not listening yet).
---@param opts? net.HandleOptions
---@return tcp_server
function create_tcp_server(opts) end
