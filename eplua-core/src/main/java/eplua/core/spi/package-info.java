/** The module SPI: what a Lua module implements and the narrow context it installs through. */
package eplua.core.spi;
