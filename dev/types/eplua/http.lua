---@meta
-- eplua http: HTTP client and server, from eplua-net/src/main/resources/eplua/net/http.lua. Bodies are binary-safe
-- strings both ways; response header names are lower case (a header sent several times is joined with ", ").
-- Certificates and host names are checked unless checkCertificate = false. Redirects (301, 302, 303, 307, 308) are
-- followed only when asked, at most 5. Declarations only.

---Headers: name -> value.
---@alias http.Headers table<string, string>

---Options of `net.HTTPClient` (defaults for its requests).
---@class net.HTTPClientOptions: net.HandleOptions
---@field timeout? number milliseconds (default 30000)
---@field checkCertificate? boolean default true
---@field followRedirects? boolean default false
---@field caFile? string PEM file of certificate authorities to trust
---@field maxBodySize? integer bytes

---The `options` of `client:request`.
---@class net.HTTPRequestOptions
---@field method? string default "GET"
---@field headers? http.Headers
---@field data? string|table the body; a table is sent as JSON (content-type application/json unless set)
---@field timeout? number milliseconds
---@field checkCertificate? boolean
---@field followRedirects? boolean
---@field redirect? boolean the same as followRedirects
---@field maxBodySize? integer bytes
---@field caFile? string

---What `client:request` takes.
---@class net.HTTPRequest
---@field options? net.HTTPRequestOptions
---@field success? fun(resp: net.HTTPResponse)
---@field error? fun(err: net.Error) e.g. exactly "timeout" when the request timed out

---A response, callback style.
---@class net.HTTPResponse
---@field status integer
---@field data string the body
---@field headers http.Headers lower-case names

---An HTTP client, callback style (EPLua / Fibaro names). Its unref/ref/detach apply to the requests it makes from then
---on; a request belongs to the task that made it.
---@class net.HTTPClient: net.Handle
local HTTPClient = {}

---Sends a request; `success(resp)` or `error(err)` runs later, as a task. http and https.
---@param url string
---@param params? net.HTTPRequest
function HTTPClient:request(url, params) end

---Makes an HTTP client, callback style.
---@param opts? net.HTTPClientOptions
---@return net.HTTPClient
function net.HTTPClient(opts) end

---Options of `net.HTTPServer` and `server:start`.
---@class net.HTTPServerOptions: net.HandleOptions
---@field cert? string PEM certificate file: serve HTTPS
---@field key? string PEM (PKCS#8) private key file
---@field maxBodySize? integer bytes (default 16 MiB; larger requests get 413)
---@field headerTimeout? number ms a request head may take from its first byte, and the longest pause in a body (default 10000; then 408 and close; 0: none)
---@field idleTimeout? number ms a keep-alive connection may wait for its next request (default 60000; 0: none)
---@field maxHeaderSize? integer bytes of all header lines together (default 16384; more gets 431 and close)
---@field maxHeaders? integer header lines (default 100; more gets 431 and close)

---A request handler: returns the response body, status (default 200) and headers (content-type defaults to
---"text/plain; charset=utf-8"); a table body is sent as JSON. `path` is the request target as sent (path and
---query); header names are lower case. It runs as a task (it may await). If it raises, or returns what cannot be
---sent (a status outside 200..599, a header name that is not a token, a header value with CR, LF or another
---control character, a body that is not a string, number, table or nil), the client gets a 500 and the error is
---reported to the engine's error handler.
---@alias net.HTTPHandler fun(method: string, path: string, body: string, headers: http.Headers): string|table|nil, integer?, http.Headers?

---An HTTP server.
---@class net.HTTPServer: net.Handle
local HTTPServer = {}

---Starts listening (port 0: any free port); suspends until bound.
---@async
---@param host? string nil: 127.0.0.1 (EPLua)
---@param port integer
---@param handler net.HTTPHandler
---@param opts? net.HTTPServerOptions
---@return integer? port the bound port
---@return net.Error? err
function HTTPServer:start(host, port, handler, opts) end

---Stops listening and closes every connection (idempotent). Called from a task, it returns once the port is closed.
function HTTPServer:stop() end

---@return boolean
function HTTPServer:isRunning() end

---Makes an HTTP server (not listening yet).
---@param opts? net.HTTPServerOptions
---@return net.HTTPServer
function net.HTTPServer(opts) end

---What `http.request` takes besides a plain URL.
---@class http.RequestSpec
---@field url? string the URL (or give it as the first array element: `{"http://...", method = "POST"}`)
---@field method? string default "GET"
---@field headers? http.Headers
---@field body? string|table a table is sent as JSON
---@field data? string|table the same as body
---@field timeout? number milliseconds (default 30000)
---@field checkCertificate? boolean default true
---@field followRedirects? boolean
---@field redirect? boolean the same as followRedirects
---@field maxBodySize? integer bytes
---@field caFile? string

---A response, task style.
---@class http.Response
---@field status integer
---@field body string
---@field headers http.Headers lower-case names

---The HTTP client, task style.
---@class http
http = {}

---Sends a request and suspends the running task until the response.
---@async
---@param spec string|http.RequestSpec a URL, or the request
---@return http.Response? resp
---@return net.Error? err
function http.request(spec) end
