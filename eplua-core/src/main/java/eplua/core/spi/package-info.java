/**
 * The module SPI, all a module needs and all it may see of the core: {@link eplua.core.spi.LuaModule} (what a
 * module implements), {@link eplua.core.spi.ModuleContext} (the narrow context it installs and runs through),
 * {@link eplua.core.spi.Resource} (a tracked resource) and {@link eplua.core.spi.LuaExport} (exported methods).
 */
package eplua.core.spi;
