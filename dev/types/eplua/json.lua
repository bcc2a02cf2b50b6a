---@meta
-- eplua json: the codec of eplua-core (EPLua's names). Declarations only.

---JSON `null` where Lua has no value for it: `json.encode{a = json.null}` is `{"a":null}`.
---@class eplua.JsonNull: userdata

---JSON encoding and decoding. Strings are bytes: valid UTF-8 is written as text, other bytes as `\u00XX`.
---A table whose keys are exactly 1..n is an array, any other table an object (an empty table is `{}`); a metatable
---field `__jsontype = "array"` or `"object"` forces the kind. Errors name the line and column of bad input.
---@class json
---@field null eplua.JsonNull
json = {}

---Encodes a value as compact JSON text. Functions, threads, NaN, infinities and cycles are errors.
---@param v any
---@return string
function json.encode(v) end

---Decodes JSON text: objects become tables with string keys, arrays sequences (an empty or all-null array
---keeps a metatable that encodes it back as `[]`), numbers stay numbers, `null` becomes nil (it vanishes from tables).
---@param s string
---@return any
function json.decode(s) end

---Encodes a value as indented JSON text (EPLua's spelling).
---@param v any
---@return string
function json.encodeFormated(v) end

---Encodes a value as indented JSON text (same as `json.encodeFormated`).
---@param v any
---@return string
function json.encodeFormatted(v) end
