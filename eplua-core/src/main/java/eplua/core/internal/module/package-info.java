/** Discovery, ordering and installation support for Lua modules (exported Java methods). */
package eplua.core.internal.module;
