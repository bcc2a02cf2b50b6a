/** A fast JSON codec that converts between JSON text and LuaJ values for the Lua {@code json} library. */
package eplua.core.json;
