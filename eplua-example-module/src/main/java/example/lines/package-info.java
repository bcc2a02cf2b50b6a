/**
 * An example third-party Lua module, {@code lines}: a line-oriented TCP listener for scripts, written against
 * eplua's SPI package alone ({@code eplua.core.spi}) and Netty.
 */
package example.lines;
