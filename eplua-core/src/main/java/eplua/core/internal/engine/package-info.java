/**
 * The parts an {@link eplua.core.Engine} is made of behind its public face: its Lua side (the module host), liveness,
 * closing, and where its output and errors go.
 */
package eplua.core.internal.engine;
