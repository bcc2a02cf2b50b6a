/** The eplua engine: one LuaJ globals table and one Netty event loop per {@link eplua.core.Engine}. */
package eplua.core;
