-- eplua http: HTTP client and server, over the Java primitives in _eplua.http (passed as ...).
--
-- Callback style (EPLua / Fibaro names):
--   net.HTTPClient([opts]) -> client          opts: timeout (ms, default 30000), checkCertificate, followRedirects
--   client:request(url, {options = {method, headers, data, timeout (ms), checkCertificate, followRedirects|redirect,
--                                   maxBodySize, caFile}, success = fn(resp), error = fn(err)})
--       resp = {status = number, data = body string, headers = {["lower-case-name"] = value}}
--   net.HTTPServer([opts]):start(host, port, handler [, opts]) -> bound port, or nil, err
--       opts: cert = PEM path, key = PEM (PKCS#8) path -> HTTPS; maxBodySize (bytes, default 16 MiB; larger -> 413)
--       handler(method, path, body, headers) -> data, status, headers
--         path is the request target as sent (path and query); headers have lower-case names;
--         status defaults to 200 and content-type to "text/plain; charset=utf-8"; a table `data` is sent as JSON
--         with content-type "application/json"; nil data sends an empty body. The handler runs as a task (it may
--         await); if it raises, the client gets a 500 and the error is reported to the engine.
--   server:stop(), server:isRunning()
--
-- Task style:
--   http.request(url or {url, method, headers, body, timeout (ms), checkCertificate, followRedirects|redirect,
--                        maxBodySize, caFile}) -> {status, body, headers} or nil, err
--
-- Bodies are binary-safe Lua strings both ways. Response header names are lower case; a header sent several times
-- is joined with ", ". Certificates and host names are verified unless checkCertificate = false. Redirects (301,
-- 302, 303, 307, 308) are followed only when asked, at most 5. Idle keep-alive connections are reused per
-- scheme/host/port. Errors start with a stable word: "timeout", "refused", "closed", "resolve", "tls:",
-- "too large", "protocol", "redirect", "url", "io".
local N = ...
local core = _eplua.core

net = net or {}
http = http or {}

local type, error, setmetatable, tostring, tonumber = type, error, setmetatable, tostring, tonumber

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

-- starts a request; returns the future of status, body, headers
local function start(url, o, defaults, fname)
  if type(url) ~= "string" then
    error(("bad argument #1 to '%s' (string expected, got %s)"):format(fname, type(url)), 3)
  end
  if o.headers ~= nil and type(o.headers) ~= "table" then
    error(("bad argument to '%s' (headers must be a table, got %s)"):format(fname, type(o.headers)), 3)
  end
  local headers = nil
  if o.headers then headers = {}; for k, v in pairs(o.headers) do headers[k] = v end end
  local body
  body, headers = body_of(o.data or o.body, headers)
  local timeout = tonumber(o.timeout or defaults.timeout) or DEFAULT_TIMEOUT
  local check = o.checkCertificate
  if check == nil then check = defaults.checkCertificate end
  local follow = o.followRedirects
  if follow == nil then follow = o.redirect end
  if follow == nil then follow = defaults.followRedirects end
  return N.request(url, tostring(o.method or "GET"), headers, body, timeout, check ~= false,
    o.caFile or defaults.caFile, follow == true, tonumber(o.maxBodySize or defaults.maxBodySize) or 0)
end

-- ---- client, callback style -------------------------------------------------------------------------------------

local HTTPClient = {}
HTTPClient.__index = HTTPClient

--- net.HTTPClient([opts]) -> client
function net.HTTPClient(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #1 to 'HTTPClient' (table expected, got %s)"):format(type(opts)), 2)
  end
  return setmetatable({ opts = opts or {} }, HTTPClient)
end

--- client:request(url, {options, success, error}): success(resp) or error(err) runs later, as a task.
function HTTPClient:request(url, params)
  if params ~= nil and type(params) ~= "table" then
    error(("bad argument #2 to 'request' (table expected, got %s)"):format(type(params)), 2)
  end
  params = params or {}
  local o = params.options or {}
  local fut = start(url, o, self.opts, "request")
  local success, fail = params.success, params.error
  core.on_settle(fut, function(ok, status, body, headers)
    if ok then
      if success then success({ status = status, data = body, headers = headers }) end
    elseif fail then
      fail(status)
    end
  end)
end

-- ---- client, task style -----------------------------------------------------------------------------------------

--- http.request(url or spec) -> {status, body, headers} or nil, err. Suspends the running task.
function http.request(spec)
  if type(spec) == "string" then spec = { url = spec } end
  if type(spec) ~= "table" then
    error(("bad argument #1 to 'request' (string or table expected, got %s)"):format(type(spec)), 2)
  end
  local fut = start(spec.url or spec[1], spec, {}, "request")
  local status, body, headers = core.try_await(fut)
  if status == nil then return nil, body end
  return { status = status, body = body, headers = headers }
end

-- ---- server -----------------------------------------------------------------------------------------------------

local HTTPServer = {}
HTTPServer.__index = HTTPServer

--- net.HTTPServer([opts]) -> server (not listening yet)
function net.HTTPServer(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #1 to 'HTTPServer' (table expected, got %s)"):format(type(opts)), 2)
  end
  return setmetatable({ opts = opts or {} }, HTTPServer)
end

--- server:start(host, port, handler [, opts]) -> bound port, or nil, err. Suspends until bound.
function HTTPServer:start(host, port, handler, opts)
  if type(host) ~= "string" then error(("bad argument #1 to 'start' (string expected, got %s)"):format(type(host)), 2) end
  if tonumber(port) == nil then error(("bad argument #2 to 'start' (number expected, got %s)"):format(type(port)), 2) end
  if type(handler) ~= "function" then
    error(("bad argument #3 to 'start' (function expected, got %s)"):format(type(handler)), 2)
  end
  if self._srv and N.server_running(self._srv) then error("server already started", 2) end
  opts = opts or self.opts
  local srv
  local respond = N.respond
  local function on_request(id, method, path, body, headers)
    local ok, data, status, hdrs = pcall(handler, method, path, body, headers)
    if not ok then
      respond(srv, id, "Internal Server Error", 500, nil)
      error(data, 0)
    end
    respond(srv, id, data, status, hdrs)
  end
  srv = N.server_new(on_request, opts.cert, opts.key, tonumber(opts.maxBodySize) or 0)
  local bound, err = core.try_await(N.server_start(srv, host, tonumber(port)))
  if bound == nil then return nil, err end
  self._srv = srv
  return bound
end

--- server:stop(): stop listening and close every connection (idempotent). Called from a task, it returns once the
--- port is closed.
function HTTPServer:stop()
  if self._srv then
    local f = N.server_stop(self._srv)
    if core.current_task() ~= nil then core.try_await(f, 5000) end
  end
end

--- server:isRunning() -> boolean
function HTTPServer:isRunning()
  return self._srv ~= nil and N.server_running(self._srv)
end
