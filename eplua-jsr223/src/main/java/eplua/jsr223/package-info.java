/**
 * The javax.script face of eplua: factory {@code "eplua"}, a {@link javax.script.ScriptEngine} that is
 * {@link javax.script.Compilable} and {@link javax.script.Invocable}, and {@link javax.script.Bindings} over the Lua
 * globals, every call marshalled onto the engine's loop.
 *
 * <p>Values returned to Java: {@code nil} is {@code null}; booleans are {@link java.lang.Boolean}; strings are
 * {@link java.lang.String} (UTF-8); a number is an {@link java.lang.Integer} when it is integral and fits an
 * {@code int}, a {@link java.lang.Long} when integral with |v| &lt; 2^53, else a {@link java.lang.Double}; a table is a
 * {@link java.util.List} when it is a sequence {1..n} and a {@link java.util.Map} otherwise (snapshots, not live
 * views: handing such a top-level snapshot back to Lua, e.g. as {@code thiz} of
 * {@link javax.script.Invocable#invokeMethod}, hands back the original table); functions stay LuaJ values that can be
 * passed back; Java objects given to Lua come back as themselves.
 */
package eplua.jsr223;
