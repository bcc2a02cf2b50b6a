/** The core Lua library (timers, tasks, json, environment, coroutines) and the console streams. */
package eplua.core.internal.lib;
