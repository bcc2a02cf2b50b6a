/**
 * The core Lua library (timers, tasks, json, environment, coroutines), the console streams, and the standard library
 * functions replaced to behave as Lua 5.2's (string.format, string.rep, table.concat, load, tostring, math.log).
 */
package eplua.core.internal.lib;
