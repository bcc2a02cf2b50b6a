/** Conversion between Java values and Lua values. */
package eplua.core.convert;
