---@meta
-- eplua udp: net.UDPSocket (callback style) and create_udp_socket() (task style), from
-- eplua-net/src/main/resources/eplua/net/udp.lua. A socket that sends or receives before `bind` is opened on any
-- local port. Declarations only.

---Options of `net.UDPSocket`.
---@class net.UDPOptions: net.HandleOptions
---@field broadcast? boolean allow sending to broadcast addresses
---@field timeout? number milliseconds for every receive (0 or nil: none)

---A UDP socket, callback style.
---@class net.UDPSocket: net.Handle
local UDPSocket = {}

---Binds to a local address (port 0: any free port).
---@param host string
---@param port integer
---@return integer? port the bound port
---@return net.Error? err
function UDPSocket:bind(host, port) end

---Sends one datagram: `cb.success(bytes)` once sent, `cb.error(err)` otherwise.
---@param data string|number
---@param ip string
---@param port integer
---@param cb? net.Callback
function UDPSocket:sendTo(data, ip, port, cb) end

---Sends one datagram, EPLua's argument order: the same as `sendTo(data, host, port, cb)`.
---@param host string
---@param port integer
---@param data string|number
---@param cb? net.Callback
function UDPSocket:send(host, port, data, cb) end

---Receives the next datagram: `cb.success(data, ip, port)`; `cb.error("timeout")` after `opts.timeout` ms. Pending
---on an unref'd socket, it does not keep the engine alive.
---@param cb? net.Callback
function UDPSocket:receive(cb) end

---Closes the socket; pending receives fail with "closed".
function UDPSocket:close() end

---The local address.
---@return string? ip
---@return integer? port
function UDPSocket:getsockname() end

---Makes a UDP socket, callback style.
---@param opts? net.UDPOptions
---@return net.UDPSocket
function net.UDPSocket(opts) end

---A UDP socket, task style (SignaKit names).
---@class udp_socket: net.Handle
local udp_socket = {}

---Binds to a local address (port 0: any free port).
---@param host string
---@param port integer
---@return integer? port the bound port
---@return net.Error? err
function udp_socket:bind(host, port) end

---Sets an option before `bind` or the first send; only "broadcast" exists.
---@param name "broadcast"
---@param value boolean
---@return true
function udp_socket:setoption(name, value) end

---Sets the timeout of `receive_async`.
---@param seconds? number nil or negative: none
---@return true
function udp_socket:settimeout(seconds) end

---Receives the next datagram.
---@async
---@return string? data or nil
---@return string|net.Error ip_or_err the sender's address, or the error
---@return integer? port the sender's port
function udp_socket:receive_async() end

---Receives the next datagram (SignaKit): as `receive_async`; after `set_non_blocking(true)` it returns at once, a
---datagram that has arrived or `nil, "timeout"`.
---@async
---@return string? data or nil
---@return string|net.Error ip_or_err the sender's address, or the error ("timeout": nothing yet, non-blocking)
---@return integer? port the sender's port
function udp_socket:receive() end

---Makes `receive` return at once (SignaKit).
---@param flag boolean
---@return true
function udp_socket:set_non_blocking(flag) end

---Sends one datagram.
---@async
---@param data string|number
---@param host string
---@param port integer
---@return integer? bytes
---@return net.Error? err
function udp_socket:send_to_async(data, host, port) end

---@return true
function udp_socket:close() end

---The local address.
---@return string? ip
---@return integer? port
function udp_socket:getsockname() end

---Makes a UDP socket, task style.
---@param opts? {broadcast?: boolean, system?: boolean}
---@return udp_socket
function create_udp_socket(opts) end
