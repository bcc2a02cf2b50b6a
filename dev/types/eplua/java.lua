---@meta
-- eplua java: explicit copies between Lua values and Java collections (eplua-core's InteropLib). Java objects
-- themselves reach Lua as they are (methods, fields, bean properties; maps, lists and arrays as live tables), see
-- the README, "Java values in Lua". Declarations only.

---A Java object as Lua sees it: `obj:method(...)`, `obj.field`, `obj.property`.
---@alias java.Object userdata

---Copies between Lua tables and strings and Java maps, lists and byte arrays. None of them reaches a Java class the
---host did not hand over.
---@class java
java = {}

---A Java `Map`, `Collection` or array as a new plain Lua table (nested ones too; `byte[]` inside become strings);
---a table is returned as it is.
---@param x java.Object|table
---@return table
function java.totable(x) end

---A new `java.util.LinkedHashMap` with the table's pairs (nested tables converted alike).
---@param t table
---@return java.Object map
function java.tomap(t) end

---A new `java.util.ArrayList` of `t[1..#t]`.
---@param t any[]
---@return java.Object list
function java.tolist(t) end

---A new Java `byte[]` with the string's bytes.
---@param s string
---@return java.Object bytes
function java.bytes(s) end

---A Lua string with the bytes of a Java `byte[]` (a string is returned as it is).
---@param b java.Object|string
---@return string
function java.string(b) end
