-- eplua http: HTTP client and server, over the Java primitives in _eplua.http (passed as ...).
--
-- Callback style (EPLua / Fibaro names):
--   net.HTTPClient([opts]) -> client          opts: timeout (ms, default 30000), checkCertificate, followRedirects
--   client:request(url, {options = {method, headers, data, timeout (ms), checkCertificate, followRedirects|redirect,
--                                   maxBodySize, caFile}, success = fn(resp), error = fn(err)})
--       resp = {status = number, data = body string, headers = {["lower-case-name"] = value}}
--   net.HTTPServer([opts]):start(host, port, handler [, opts]) -> bound port, or nil, err
--       opts: cert = PEM path, key = PEM (PKCS#8) path -> HTTPS; maxBodySize (bytes, default 16 MiB; larger -> 413);
--         headerTimeout (ms a request head may take from its first byte, and the longest pause in a body; default
--         10000; over it -> 408 and close), idleTimeout (ms a keep-alive connection may wait for its next request;
--         default 60000), maxHeaderSize (bytes of all header lines, default 16384) and maxHeaders (default 100): over
--         them -> 431 and close. Timeouts of 0 turn them off. Defaults also from the system properties
--         eplua.http.<option>. eplua-net/HARDENING.md has the details.
--       handler(method, path, body, headers) -> data, status, headers
--         path is the request target as sent (path and query); headers have lower-case names;
--         status defaults to 200 and content-type to "text/plain; charset=utf-8"; a table `data` is sent as JSON
--         with content-type "application/json"; nil data sends an empty body. The handler runs as a task (it may
--         await). If it raises, or returns what cannot be sent (a status outside 200..599, a header name that is not
--         a token, a header value with control characters such as CR/LF, a body that is not a string, number, table
--         or nil), the client gets a 500 and the error is reported to the engine's error handler. Content-Length and
--         Transfer-Encoding are the server's: a handler's values for them are ignored.
--   server:stop(), server:isRunning()
--
-- Task style:
--   http.request(url or {url, method, headers, body, timeout (ms), checkCertificate, followRedirects|redirect,
--                        maxBodySize, caFile}) -> {status, body, headers} or nil, err
--
-- Bodies are binary-safe Lua strings both ways. Received headers (a response's, a request's in a handler) have
-- lower-case names, a header sent several times is joined with ", ", and values are the bytes the peer sent.
-- Certificates and host names are verified unless checkCertificate = false. Redirects (301, 302, 303, 307, 308) are
-- followed only when asked, at most 5. Idle keep-alive connections are reused per
-- scheme/host/port. Errors start with a word of the net vocabulary (README, "Network errors"): "timeout", "refused",
-- "reset", "closed", "resolve", "unreachable", "tls", "protocol" (bad response, too many redirects), "too large",
-- "bind", "denied", "io"; the callback style passes a timeout as the bare word "timeout", as EPLua does. A url that
-- is not http(s)://host... is misuse: it raises "bad argument" at the caller's line, as wrong types do.
--
-- Lifecycle (eplua-net/LIFECYCLE-N.md): clients and servers have :unref(), :ref(), :detach() (and {system = true}
-- in their options; a client's apply to the requests it makes from then on). A request belongs to the task that made
-- it: cancelling that task abandons the request and closes its connection. A server belongs to the task that started
-- it. server:start(nil, port) listens on 127.0.0.1 (EPLua).
local N = ...
local core = _eplua.core
local A = core.args
local check, argerr = A.check, A.argerr

net = net or {}
http = http or {}

local type, error, setmetatable, tostring, tonumber = type, error, setmetatable, tostring, tonumber
local getinfo = debug and debug.getinfo

local DEFAULT_TIMEOUT = 30000

local function body_of(data, headers)
  if data == nil then return nil, headers end
  if type(data) == "table" then
    headers = headers or {}
    local has = false
    for k in pairs(headers) do if tostring(k):lower() == "content-type" then has = true end end
    if not has then headers["Content-Type"] = "application/json" end
    return json.encode(data), headers
  end
  return tostring(data), headers
end

-- starts a request; returns the future of status, body, headers. owner: the client (its unref/detach apply) or nil
local function start(url, o, defaults, fname, owner)
  check(url, "string", 1, fname)
  if o.headers ~= nil and type(o.headers) ~= "table" then
    A.raise(("bad argument to '%s' (headers must be a table, got %s)"):format(fname, type(o.headers)))
  end
  local headers = nil
  if o.headers then headers = {}; for k, v in pairs(o.headers) do headers[k] = v end end
  local body
  body, headers = body_of(o.data or o.body, headers)
  local timeout = tonumber(o.timeout or defaults.timeout) or DEFAULT_TIMEOUT
  local verify = o.checkCertificate
  if verify == nil then verify = defaults.checkCertificate end
  local follow = o.followRedirects
  if follow == nil then follow = o.redirect end
  if follow == nil then follow = defaults.followRedirects end
  local fut, bad = N.request(url, tostring(o.method or "GET"), headers, body, timeout, verify ~= false,
    o.caFile or defaults.caFile, follow == true, tonumber(o.maxBodySize or defaults.maxBodySize) or 0,
    owner ~= nil and owner._unref == true, owner ~= nil and owner._detached == true)
  if fut == nil then argerr(1, fname, bad) end
  return fut
end

-- ---- client, callback style -------------------------------------------------------------------------------------

local HTTPClient = N.class("_requests") -- no handle of its own: its requests take the flags when made

--- net.HTTPClient([opts]) -> client
function net.HTTPClient(opts)
  check(opts, "table", 1, "HTTPClient", true)
  return setmetatable({ opts = opts or {}, _unref = N.system(opts) }, HTTPClient)
end

--- client:request(url, {options, success, error}): success(resp) or error(err) runs later, as a task; a timeout is
--- error("timeout").
function HTTPClient:request(url, params)
  check(params, "table", 2, "request", true)
  params = params or {}
  local o = params.options or {}
  local fut = start(url, o, self.opts, "request", self)
  local success, fail = params.success, params.error
  core.on_settle(fut, function(ok, status, body, headers)
    if ok then
      if success then success({ status = status, data = body, headers = headers }) end
    elseif fail then
      fail(status:find("^timeout") and "timeout" or status)
    end
  end)
end

-- ---- client, task style -----------------------------------------------------------------------------------------

--- http.request(url or spec) -> {status, body, headers} or nil, err. Suspends the running task.
function http.request(spec)
  if type(spec) == "string" then spec = { url = spec } end
  if type(spec) ~= "table" then argerr(1, "request", "string or table expected, got " .. type(spec)) end
  local fut = start(spec.url or spec[1], spec, {}, "request")
  local status, body, headers = core.try_await(fut)
  if status == nil then return nil, body end
  return { status = status, body = body, headers = headers }
end

-- ---- server -----------------------------------------------------------------------------------------------------

local HTTPServer = N.class("_srv")

-- server options that must be numbers (Java reads them, HttpLimits)
local SERVER_LIMITS = { "maxBodySize", "headerTimeout", "idleTimeout", "maxHeaderSize", "maxHeaders" }

--- net.HTTPServer([opts]) -> server (not listening yet)
function net.HTTPServer(opts)
  check(opts, "table", 1, "HTTPServer", true)
  return setmetatable({ opts = opts or {}, _unref = N.system(opts) }, HTTPServer)
end

--- server:start(host, port, handler [, opts]) -> bound port, or nil, err. Suspends until bound. A nil host listens
--- on 127.0.0.1.
function HTTPServer:start(host, port, handler, opts)
  if host == nil then host = "127.0.0.1" end
  A.check_host(host, 1, "start")
  port = A.check_port(port, 2, "start", true)
  check(handler, "function", 3, "start")
  check(opts, "table", 4, "start", true)
  if self._srv and N.server_running(self._srv) then A.raise("server already started") end
  opts = opts or self.opts
  if (opts.cert == nil) ~= (opts.key == nil) then argerr(4, "start", "cert and key go together") end
  for _, k in ipairs(SERVER_LIMITS) do
    local v = opts[k]
    if v ~= nil and tonumber(v) == nil then argerr(4, "start", k .. ": number expected, got " .. type(v)) end
  end
  local info = getinfo and getinfo(handler, "S")
  local srv, err = N.server_new(handler, opts.cert, opts.key, opts,
    info and info.what == "Lua" and (info.short_src .. ":" .. info.linedefined) or nil)
  if srv == nil then return nil, err end
  N.inherit(self, srv)
  local bound
  bound, err = core.try_await(N.server_start(srv, host, port))
  if bound == nil then return nil, err end
  self._srv = srv
  return bound
end

--- server:stop(): stop listening and close every connection (idempotent); server:isRunning() -> boolean.
N.server_methods(HTTPServer, "_srv")
