/**
 * The loop's bookkeeping: the registry of pending things that keep an engine alive, timers, and the engine's Netty
 * event loop ({@link eplua.core.internal.loop.EngineLoop}), which counts a fiber mounted on its thread as its own.
 */
package eplua.core.internal.loop;
